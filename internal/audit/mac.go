package audit

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The SHA-256 chain shows that stored events were changed, removed or
// reordered, but not that someone with write access to the database
// rewrote the chain from some event on and recomputed every hash, nor that
// they cut off its newest events and moved the head back. Two things kept
// outside the database catch those:
//
//   - MAC: each event's HMAC-SHA256 of its Seq and Hash under the audit key
//     (a file beside the PII key, or ACCORD_AUDIT_KEY). A rewritten chain
//     needs new hashes, and new hashes need the key.
//   - Anchors: lines appended to a file outside the database recording the
//     newest Seq and Hash at a time, each with its own HMAC. An anchor
//     naming an event the chain no longer has, or a different hash for it,
//     shows the chain was truncated or rewritten.

// MAC returns the hex HMAC-SHA256 under key of an event's seq and hash.
func MAC(key []byte, seq int64, hash string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "accord-audit-event-v1\n%d\n%s", seq, hash)
	return hex.EncodeToString(m.Sum(nil))
}

// Anchor records, outside the database, that the chain's newest event at At
// had Seq and Hash.
type Anchor struct {
	Seq  int64
	Hash string
	At   time.Time
	MAC  string // HMAC of the three above under the audit key
}

func anchorMAC(key []byte, a Anchor) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "accord-audit-anchor-v1\n%d\n%s\n%s", a.Seq, a.Hash, a.At.UTC().Format(time.RFC3339Nano))
	return hex.EncodeToString(m.Sum(nil))
}

// NewAnchor returns the anchor of the event seq with hash at time at,
// signed with key.
func NewAnchor(key []byte, seq int64, hash string, at time.Time) Anchor {
	a := Anchor{Seq: seq, Hash: hash, At: at.UTC()}
	a.MAC = anchorMAC(key, a)
	return a
}

// String returns the anchor as one line of an anchor file, without the
// newline: "seq hash at mac".
func (a Anchor) String() string {
	return fmt.Sprintf("%d %s %s %s", a.Seq, a.Hash, a.At.UTC().Format(time.RFC3339Nano), a.MAC)
}

// ParseAnchors reads an anchor file (one Anchor.String per line; blank
// lines are skipped) and checks every line's HMAC under key. It returns an
// error naming the first line that is malformed or whose HMAC does not
// match: the file was edited.
func ParseAnchors(r io.Reader, key []byte) ([]Anchor, error) {
	var out []Anchor
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			return out, fmt.Errorf("anchor line %d is malformed", n)
		}
		seq, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || seq < 0 {
			return out, fmt.Errorf("anchor line %d is malformed", n)
		}
		at, err := time.Parse(time.RFC3339Nano, f[2])
		if err != nil {
			return out, fmt.Errorf("anchor line %d is malformed", n)
		}
		a := Anchor{Seq: seq, Hash: f[1], At: at.UTC(), MAC: f[3]}
		if !hmac.Equal([]byte(anchorMAC(key, a)), []byte(a.MAC)) {
			return out, fmt.Errorf("anchor line %d (event %d) was altered or written with another key", n, seq)
		}
		out = append(out, a)
	}
	return out, sc.Err()
}
