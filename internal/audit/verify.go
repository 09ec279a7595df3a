package audit

import (
	"crypto/hmac"
	"fmt"
	"time"
)

// Verifier checks a chain one event at a time, so that millions of events can
// be verified while streaming them from the store in Seq order:
//
//	var v audit.Verifier
//	err := db.AuditEvents(ctx, func(e audit.Event) error {
//		v.Add(e)
//		return nil
//	})
//	firstBad, reason, ok := v.Result()
//
// The zero Verifier expects the chain to start at Seq 1 with an empty
// PrevHash. With Key set it also requires every event's MAC; with
// ExpectAnchors it checks the chain against anchors kept outside the
// database, and Finish reports a chain that ends before the newest anchor.
type Verifier struct {
	Key []byte // the audit key; nil: MACs are not checked

	anchors   map[int64]Anchor
	maxAnchor Anchor

	next     int64 // Seq expected next, less one (0 before the first event)
	prevHash string
	count    int64
	bad      int64
	reason   string
}

// Add checks e against the events added before it and reports whether the
// chain is still intact. After the first bad event it ignores further events.
func (v *Verifier) Add(e Event) bool {
	if v.bad != 0 {
		return false
	}
	want := v.next + 1
	switch {
	case e.Seq > want:
		v.fail(want, fmt.Sprintf("event %d is missing (the next event is %d)", want, e.Seq))
	case e.Seq < want:
		v.fail(want, fmt.Sprintf("event %d is out of order or repeated where event %d should be", e.Seq, want))
	case e.PrevHash != v.prevHash && v.next == 0:
		v.fail(e.Seq, fmt.Sprintf("event %d starts the chain but its previous hash is not empty", e.Seq))
	case e.PrevHash != v.prevHash:
		v.fail(e.Seq, fmt.Sprintf("event %d does not follow event %d: its previous hash does not match", e.Seq, v.next))
	case Hash(e.PrevHash, e) != e.Hash:
		v.fail(e.Seq, fmt.Sprintf("event %d was altered: its hash does not match its contents", e.Seq))
	case len(v.Key) > 0 && e.MAC == "":
		v.fail(e.Seq, fmt.Sprintf("event %d has no HMAC: it was written without the audit key, or the chain was rewritten "+
			"(events written before the key existed are sealed once with accord audit seal)", e.Seq))
	case len(v.Key) > 0 && !hmac.Equal([]byte(MAC(v.Key, e.Seq, e.Hash)), []byte(e.MAC)):
		v.fail(e.Seq, fmt.Sprintf("event %d was rewritten: its HMAC does not match its hash under the audit key", e.Seq))
	case v.anchors[e.Seq].Hash != "" && v.anchors[e.Seq].Hash != e.Hash:
		v.fail(e.Seq, fmt.Sprintf("event %d was rewritten: its hash differs from the anchor written outside the database at %s",
			e.Seq, v.anchors[e.Seq].At.Format(time.RFC3339)))
	default:
		v.next, v.prevHash = e.Seq, e.Hash
		v.count++
		return true
	}
	return false
}

func (v *Verifier) fail(seq int64, reason string) {
	v.bad, v.reason = seq, reason
}

// Result returns the Seq of the first bad event and why it is bad, or ok
// true when every event added so far chains correctly.
func (v *Verifier) Result() (firstBad int64, reason string, ok bool) {
	if v.bad != 0 {
		return v.bad, v.reason, false
	}
	return 0, "", true
}

// ExpectAnchors makes the verifier check the chain against anchors (already
// checked with ParseAnchors): the event each names must have the anchored
// hash, and Finish fails if the chain ends before the newest one.
func (v *Verifier) ExpectAnchors(list []Anchor) {
	if v.anchors == nil {
		v.anchors = make(map[int64]Anchor, len(list))
	}
	for _, a := range list {
		v.anchors[a.Seq] = a
		if a.Seq > v.maxAnchor.Seq {
			v.maxAnchor = a
		}
	}
}

// Finish is Result once every event has been added: it also fails when the
// chain ends before the newest anchor, which means its newest events were
// cut off (and the head moved back to hide it).
func (v *Verifier) Finish() (firstBad int64, reason string, ok bool) {
	if bad, reason, ok := v.Result(); !ok {
		return bad, reason, ok
	}
	if v.maxAnchor.Seq > v.next {
		return v.next + 1, fmt.Sprintf("event %d is missing: the log ends at event %d but an anchor written outside the database at %s "+
			"records event %d (the newest events were cut off)", v.next+1, v.next, v.maxAnchor.At.Format(time.RFC3339), v.maxAnchor.Seq), false
	}
	return 0, "", true
}

// Head returns the Seq and Hash of the last good event added (0 and "" when
// none). Comparing them with the chain head the store keeps detects events
// cut off the end of the log.
func (v *Verifier) Head() (seq int64, hash string) { return v.next, v.prevHash }

// Count returns how many events have been verified as good.
func (v *Verifier) Count() int64 { return v.count }

// Verify checks a whole chain held in memory; see Verifier for streaming.
func Verify(events []Event) (firstBad int64, reason string, ok bool) {
	var v Verifier
	for _, e := range events {
		if !v.Add(e) {
			break
		}
	}
	return v.Result()
}
