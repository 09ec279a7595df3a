package audit

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func chain(n int) []Event {
	var out []Event
	prevSeq, prevHash := int64(0), ""
	at := time.Date(2026, 1, 15, 2, 0, 0, 123456000, time.UTC)
	for i := range n {
		e := Seal(Event{
			At:         at.Add(time.Duration(i) * time.Second),
			Actor:      Actor{UserID: 7, Username: "wang.fang", Role: "collector"},
			Action:     "payment.record",
			EntityType: "loan",
			EntityID:   "L-100" + string(rune('0'+i)),
			Summary:    Summarize(map[string]any{"amount_minor": 100_00 * (i + 1), "channel": "app"}),
			RequestID:  "req-1",
		}, prevSeq, prevHash)
		out = append(out, e)
		prevSeq, prevHash = e.Seq, e.Hash
	}
	return out
}

func TestCanonical_Deterministic(t *testing.T) {
	t.Parallel()
	e := chain(1)[0]
	a := Canonical(e)
	// The same summary written with other key order and spacing, and the
	// time in another zone, serialise identically.
	e.Summary = json.RawMessage(`{ "channel":"app",  "amount_minor": 10000 }`)
	e.At = e.At.In(time.FixedZone("CST", 8*3600))
	if b := Canonical(e); string(a) != string(b) {
		t.Errorf("Canonical differs:\n%s\n%s", a, b)
	}
	want := `{"action":"payment.record","actor":{"role":"collector","user_id":7,"username":"wang.fang"},` +
		`"at":"2026-01-15T02:00:00.123456Z","entity_id":"L-1000","entity_type":"loan","prev_hash":"",` +
		`"request_id":"req-1","seq":1,"summary":{"amount_minor":10000,"channel":"app"}}`
	if string(a) != want {
		t.Errorf("Canonical =\n%s\nwant\n%s", a, want)
	}
}

func TestCanonical_BigNumbersKeepTheirDigits(t *testing.T) {
	t.Parallel()
	e := Event{Summary: json.RawMessage(`{"n":9007199254740993}`)}
	if !strings.Contains(string(Canonical(e)), `9007199254740993`) {
		t.Errorf("Canonical = %s", Canonical(e))
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		tamper     func([]Event) []Event
		wantBad    int64
		wantReason string
	}{
		{"Intact", func(e []Event) []Event { return e }, 0, ""},
		{"Empty", func([]Event) []Event { return nil }, 0, ""},
		{"ChangedField", func(e []Event) []Event {
			e[2].EntityID = "L-9999"
			return e
		}, 3, "altered"},
		{"ChangedSummary", func(e []Event) []Event {
			e[1].Summary = json.RawMessage(`{"amount_minor":1,"channel":"app"}`)
			return e
		}, 2, "altered"},
		{"ChangedActor", func(e []Event) []Event {
			e[4].Actor.Username = "admin"
			return e
		}, 5, "altered"},
		{"ChangedAndRehashed", func(e []Event) []Event {
			e[2].Action = "payment.reverse"
			e[2].Hash = Hash(e[2].PrevHash, e[2])
			return e
		}, 4, "previous hash"},
		{"Removed", func(e []Event) []Event { return slices.Delete(e, 2, 3) }, 3, "missing"},
		{"RemovedFirst", func(e []Event) []Event { return e[1:] }, 1, "missing"},
		{"Reordered", func(e []Event) []Event {
			e[1], e[2] = e[2], e[1]
			return e
		}, 2, "missing"},
		{"ReorderedAndRenumbered", func(e []Event) []Event {
			e[1], e[2] = e[2], e[1]
			e[1].Seq, e[2].Seq = 2, 3
			return e
		}, 2, "previous hash"},
		{"Repeated", func(e []Event) []Event { return slices.Insert(e, 3, e[2]) }, 4, "out of order"},
		{"FirstWithPrevHash", func(e []Event) []Event {
			e[0].PrevHash = "00"
			e[0].Hash = Hash(e[0].PrevHash, e[0])
			return e
		}, 1, "starts the chain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bad, reason, ok := Verify(tt.tamper(chain(6)))
			if ok != (tt.wantBad == 0) || bad != tt.wantBad || !strings.Contains(reason, tt.wantReason) {
				t.Errorf("Verify() = %d, %q, %v; want %d, …%q…", bad, reason, ok, tt.wantBad, tt.wantReason)
			}
		})
	}
}

func TestVerifier_Head(t *testing.T) {
	t.Parallel()
	events := chain(3)
	var v Verifier
	for _, e := range events {
		v.Add(e)
	}
	if seq, hash := v.Head(); seq != 3 || hash != events[2].Hash || v.Count() != 3 {
		t.Errorf("Head() = %d, %s; Count() = %d", seq, hash, v.Count())
	}
	if v.Add(events[0]) {
		t.Error("Add accepted a repeated event")
	}
	if _, _, ok := v.Result(); ok {
		t.Error("Result ok after a bad event")
	}
}
