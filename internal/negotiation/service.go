package negotiation

import (
	"log/slog"
	"time"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// Options configure a Service. Zero fields take collect's values.
type Options struct {
	Log    *slog.Logger
	Now    func() time.Time // the clock; the collect service's when nil
	Zone   *time.Location   // the lender's business time zone; collect's when nil
	Policy *promise.Policy  // promise.DefaultPolicy() when nil

	// PolicySingleApprover lets the user who saved an offer policy version
	// publish it. By default (false) four eyes apply: another user with the
	// strategy permission must publish it, as for strategies.
	PolicySingleApprover bool
}

// Service is the set of negotiation use cases over one database.
type Service struct {
	db      *sqlstore.DB
	collect *collect.Service
	log     *slog.Logger
	now     func() time.Time
	zone    *time.Location
	policy  promise.Policy
	desk    desk       // the records side's settings: offer policy, team budget, activator (offers_desk.go)
	solo    bool       // Options.PolicySingleApprover
	keep    KeepSource // the plan model for offers' chance kept (keep.go); nil: offer.DefaultKeep
}

var _ collect.Promises = (*Service)(nil)

// New returns a Service over db beside the collect service c. Wire it as
// c's promise book with c.UsePromises.
func New(db *sqlstore.DB, c *collect.Service, opts Options) *Service {
	s := &Service{db: db, collect: c, log: opts.Log, now: opts.Now, zone: opts.Zone, policy: promise.DefaultPolicy(),
		solo: opts.PolicySingleApprover}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = c.Now
	}
	if s.zone == nil {
		s.zone = c.Zone()
	}
	if opts.Policy != nil {
		s.policy = *opts.Policy
	}
	return s
}

// Wire builds the Service for c over c's database and makes it c's promise
// book and plan book, and adds its nightly step (PlanFollowUp); the console
// and tests use it.
func Wire(c *collect.Service, opts Options) *Service {
	s := New(c.Store(), c, opts)
	c.UsePromises(s)
	c.UsePlans(s)
	c.UseNightly(PlanFollowUp{s}) // a broken plan's task for the owner of a case opened after the break
	return s
}

// Today returns the lender's business date now.
func (s *Service) Today() date.Date { return date.FromTime(s.now().In(s.zone)) }

// Policy returns the promise policy in force.
func (s *Service) Policy() promise.Policy { return s.policy }
