package audit

import (
	"encoding/json"
	"fmt"
	"time"
)

// Actor is who caused an event: a user, or the system itself.
type Actor struct {
	UserID   int64  `json:"user_id"`
	Username string `json:"username"` // "system" for the nightly run, "cli" for command-line operations
	Role     string `json:"role"`
}

// System is the actor of the nightly run and other scheduled work.
var System = Actor{Username: "system", Role: "system"}

// CLI is the actor of command-line operations run on the server.
var CLI = Actor{Username: "cli", Role: "admin"}

// Event is one entry of the audit log.
type Event struct {
	Seq        int64           `json:"seq"` // 1, 2, 3 … without gaps; assigned by the store
	At         time.Time       `json:"at"`  // UTC
	Actor      Actor           `json:"actor"`
	Action     string          `json:"action"`      // payment.record, borrower.create, pii.reveal …
	EntityType string          `json:"entity_type"` // loan, borrower, user …
	EntityID   string          `json:"entity_id"`
	Summary    json.RawMessage `json:"summary,omitempty"` // what changed, e.g. {"before":…,"after":…}
	RequestID  string          `json:"request_id,omitempty"`
	PrevHash   string          `json:"prev_hash"` // Hash of event Seq-1; "" for the first
	Hash       string          `json:"hash"`      // hex SHA-256 of PrevHash and Canonical
	// MAC is the hex HMAC-SHA256 of Seq and Hash under the audit key, which
	// is kept outside the database (see MAC); "" when no key was set.
	MAC string `json:"mac,omitempty"`
}

// Summarize returns v as JSON for an Event's Summary. It panics if v cannot
// be marshalled (a channel or a func), which is a programming error.
//
//	Summary: audit.Summarize(map[string]any{"before": old.Status, "after": ledger.Delinquent}),
func Summarize(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("audit: summarize %T: %v", v, err))
	}
	return b
}
