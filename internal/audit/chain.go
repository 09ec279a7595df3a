package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Canonical returns the serialization of e that its hash covers: a JSON
// object of every field except Hash, with keys sorted, At in UTC as RFC 3339
// with nanoseconds, and Summary re-encoded with sorted keys and its numbers
// written exactly as given. Two events with equal fields give equal bytes
// however their Summary was formatted or stored.
func Canonical(e Event) []byte {
	m := map[string]any{
		"seq":         e.Seq,
		"at":          e.At.UTC().Format(time.RFC3339Nano),
		"actor":       map[string]any{"user_id": e.Actor.UserID, "username": e.Actor.Username, "role": e.Actor.Role},
		"action":      e.Action,
		"entity_type": e.EntityType,
		"entity_id":   e.EntityID,
		"summary":     canonicalSummary(e.Summary),
		"request_id":  e.RequestID,
		"prev_hash":   e.PrevHash,
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("audit: canonical event %d: %v", e.Seq, err)) // unreachable: every value is plain
	}
	return b
}

// canonicalSummary decodes a summary into maps (whose keys encoding/json
// sorts) and json.Numbers (which keep their digits). A summary that is not
// valid JSON is kept as a string, so it is still covered by the hash.
func canonicalSummary(raw json.RawMessage) any {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return string(raw)
	}
	return v
}

// Hash returns the hex SHA-256 of prev followed by Canonical(e): the value
// that e.Hash must hold when e follows an event whose hash is prev.
func Hash(prev string, e Event) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write(Canonical(e))
	return hex.EncodeToString(h.Sum(nil))
}

// Seal returns e with Seq, PrevHash and Hash set to follow an event with
// sequence number prevSeq and hash prevHash (0 and "" for the first event).
func Seal(e Event, prevSeq int64, prevHash string) Event {
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.Hash = Hash(prevHash, e)
	return e
}
