package audit

import (
	"strings"
	"testing"
	"time"
)

func TestVerifier_KeyAndAnchors(t *testing.T) {
	t.Parallel()
	key := []byte("audit-key-0123456789abcdef012345")
	signed := func() []Event {
		events := chain(6)
		for i := range events {
			events[i].MAC = MAC(key, events[i].Seq, events[i].Hash)
		}
		return events
	}
	at := time.Date(2026, 1, 15, 3, 0, 0, 0, time.UTC)
	run := func(events []Event, anchors ...Anchor) (int64, string, bool) {
		v := Verifier{Key: key}
		v.ExpectAnchors(anchors)
		for _, e := range events {
			v.Add(e)
		}
		return v.Finish()
	}
	events := signed()
	if bad, reason, ok := run(events, NewAnchor(key, 4, events[3].Hash, at)); !ok {
		t.Fatalf("intact: %d %s", bad, reason)
	}
	// Rewritten from event 3 on, every hash recomputed: the MAC fails.
	rw := signed()
	prev := rw[1].Hash
	for i := 2; i < len(rw); i++ {
		if i == 2 {
			rw[i].EntityID = "L-9999"
		}
		rw[i].PrevHash = prev
		rw[i].Hash = Hash(prev, rw[i])
		prev = rw[i].Hash
	}
	if bad, reason, ok := run(rw); ok || bad != 3 || !strings.Contains(reason, "HMAC") {
		t.Errorf("rewritten: %d %q %v", bad, reason, ok)
	}
	// Even with MACs recomputed (a leaked key), an anchor catches it.
	for i := range rw {
		rw[i].MAC = MAC(key, rw[i].Seq, rw[i].Hash)
	}
	if bad, reason, ok := run(rw, NewAnchor(key, 5, events[4].Hash, at)); ok || bad != 5 || !strings.Contains(reason, "anchor") {
		t.Errorf("rewritten with the key, anchored: %d %q %v", bad, reason, ok)
	}
	// Cut after event 4, with an anchor at event 6.
	if bad, reason, ok := run(events[:4], NewAnchor(key, 6, events[5].Hash, at)); ok || bad != 5 || !strings.Contains(reason, "cut off") {
		t.Errorf("truncated: %d %q %v", bad, reason, ok)
	}
	// No MAC at all.
	bare := chain(2)
	if bad, _, ok := run(bare); ok || bad != 1 {
		t.Errorf("unsigned events: %d %v", bad, ok)
	}
}

func TestParseAnchors(t *testing.T) {
	t.Parallel()
	key := []byte("audit-key-0123456789abcdef012345")
	a := NewAnchor(key, 42, "abc", time.Date(2026, 1, 15, 3, 0, 0, 5, time.UTC))
	list, err := ParseAnchors(strings.NewReader(a.String()+"\n\n"+NewAnchor(key, 43, "def", a.At).String()+"\n"), key)
	if err != nil || len(list) != 2 || list[0] != a {
		t.Fatalf("ParseAnchors = %+v, %v", list, err)
	}
	for _, bad := range []string{"42 abc", "x abc 2026-01-15T03:00:00Z 00", strings.Replace(a.String(), "42", "41", 1)} {
		if _, err := ParseAnchors(strings.NewReader(bad), key); err == nil {
			t.Errorf("ParseAnchors(%q) accepted it", bad)
		}
	}
}
