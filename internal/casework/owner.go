package casework

import (
	"fmt"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

// OwnerKind is who can own a case.
type OwnerKind string

// The owner kinds. The zero Owner means unassigned.
const (
	ToCollector OwnerKind = "collector"
	ToAgency    OwnerKind = "agency"
)

// Owner is a collector or an agency, by id.
type Owner struct {
	Kind OwnerKind `json:"kind,omitempty"`
	ID   int64     `json:"id,omitempty"`
}

// IsZero reports whether o is "unassigned".
func (o Owner) IsZero() bool { return o == Owner{} }

// String returns "collector 42", "agency 7" or "unassigned".
func (o Owner) String() string {
	if o.IsZero() {
		return "unassigned"
	}
	return fmt.Sprintf("%s %d", o.Kind, o.ID)
}

// Collector is an in-house collector (催收员) and what they can work. An
// empty skill list means any value; Queues is the exception, see
// Config.RestrictedQueues.
type Collector struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Team      string   `json:"team"`
	Languages []string `json:"languages"` // "zh" matches "zh-CN"
	Regions   []string `json:"regions"`
	Buckets   []string `json:"buckets"`
	Queues    []string `json:"queues"`
	Capacity  int      `json:"capacity"` // open cases they can hold
	Active    bool     `json:"active"`
	// Load is the open cases the collector holds that are not among the
	// cases passed to Assign; 0 when the whole open book is passed.
	Load int `json:"load"`
}

// Agency is an outside collection agency (委外机构).
type Agency struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Whitelisted bool            `json:"whitelisted"` // approved by compliance; only whitelisted agencies get cases
	Capacity    int             `json:"capacity"`
	Load        int             `json:"load"`       // placements not among the cases passed to Assign
	Commission  decimal.Decimal `json:"commission"` // rate on amounts recovered, 0.25 for 25%
	Regions     []string        `json:"regions"`    // where it works; empty is anywhere
	Buckets     []string        `json:"buckets"`    // empty is any bucket
}

// Placement is a strategy's request to place a case with an agency.
type Placement struct {
	MaxCommission decimal.Decimal `json:"max_commission"`
	Days          int             `json:"days"`
	SameRegion    bool            `json:"same_region"` // the agency must list the case's region
}

// CaseView is what assignment needs to know about an open case.
type CaseView struct {
	CaseID     int64        `json:"case_id"`
	BorrowerID int64        `json:"borrower_id"`
	Bucket     string       `json:"bucket"`
	Language   string       `json:"language"`
	Region     string       `json:"region"`
	Queue      string       `json:"queue"` // call queue the strategy chose; "" for none
	Balance    money.Amount `json:"balance"`

	Owner        Owner     `json:"owner"`
	OwnerSince   date.Date `json:"owner_since"`
	LastProgress date.Date `json:"last_progress,omitzero"` // last payment, promise or connected contact
	RecallOn     date.Date `json:"recall_on,omitzero"`     // with an agency: when the placement ends
	Locked       bool      `json:"locked"`                 // a supervisor's manual assignment: left as is

	Placement *Placement `json:"placement,omitempty"` // the strategy asks for an agency
}

// Config holds the assignment settings.
type Config struct {
	// RotateAfterDays is how long a collector may hold a case without
	// progress before it rotates to someone else (no 养案); 0 never rotates.
	RotateAfterDays int `json:"rotate_after_days"`
	// RestrictedQueues are queues only collectors who list them may work,
	// even collectors whose Queues is empty (any queue).
	RestrictedQueues []string `json:"restricted_queues"`
}

// DefaultConfig rotates after 14 days without progress and restricts the
// specialist (vulnerable borrowers), disputes and negotiation queues.
func DefaultConfig() Config {
	return Config{RotateAfterDays: 14, RestrictedQueues: []string{"specialist", "disputes", "negotiation"}}
}
