package collect

import (
	"log/slog"
	"sync"
	"time"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// Options configure a Service.
type Options struct {
	Log        *slog.Logger
	Policy     ledger.Policy
	SessionTTL time.Duration
	Now        func() time.Time // the clock; time.Now when nil (tests pass a fixed one)
	Zone       *time.Location   // the lender's business time zone, Asia/Shanghai by default
	Cycle      *CycleConfig     // buckets, tiers, segments, assignment …; DefaultCycleConfig when nil

	// StrategySingleApprover lets the user who wrote a strategy version
	// publish it. By default (false) four eyes apply: another user with the
	// strategy permission must publish it (see PublishStrategy).
	StrategySingleApprover bool
}

// Service is the set of use cases over one database.
type Service struct {
	db     *sqlstore.DB
	log    *slog.Logger
	policy ledger.Policy
	ttl    time.Duration
	now    func() time.Time
	zone   *time.Location
	tokens sync.Map // API token hash → tokenEntry
	cycle  CycleConfig
	solo   bool // Options.StrategySingleApprover

	login LoginPolicy // sign-in throttling; zero fields take defaults (see SetLoginPolicy)

	promises Promises      // the promise book (package negotiation); nil until UsePromises
	plans    Plans         // plan monitoring (package negotiation); nil until UsePlans
	steps    []NightlyStep // other capabilities' nightly work, in order (UseNightly)

	uncallable uncallable // "Get next case": cases the governor just refused (case_next.go)
	nextBatch  txBatcher  // "Get next case": the write transactions of concurrent presses, batched (case_next_batch.go)
	rules      rulesCache // the contact rules last built, by change stamp (governor.go)

	agingRead func([]sqlstore.LoanBundle) // tests only: called after each aging chunk is read (export_test.go)
}

// New returns a Service over db.
func New(db *sqlstore.DB, opts Options) *Service {
	s := &Service{db: db, log: opts.Log, policy: opts.Policy, ttl: opts.SessionTTL, now: opts.Now, zone: opts.Zone,
		solo: opts.StrategySingleApprover}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.zone == nil {
		if z, err := time.LoadLocation("Asia/Shanghai"); err == nil {
			s.zone = z
		} else {
			s.zone = time.FixedZone("CST", 8*3600)
		}
	}
	if s.ttl == 0 {
		s.ttl = 12 * time.Hour
	}
	s.cycle = DefaultCycleConfig()
	if opts.Cycle != nil {
		s.cycle = opts.Cycle.withDefaults()
	}
	if len(s.policy.Waterfall) == 0 {
		s.policy = ledger.DefaultPolicy()
	}
	return s
}

// Today returns the lender's business date now.
func (s *Service) Today() date.Date { return date.FromTime(s.now().In(s.zone)) }

// Policy returns the ledger policy in force.
func (s *Service) Policy() ledger.Policy { return s.policy }

// Actor is who performs a use case: a signed-in user, or the system (the
// nightly run, the CLI) with a name.
type Actor struct {
	User      auth.User
	RequestID string
}

// System returns the actor for unattended work such as the nightly run.
func System(name string) Actor {
	return Actor{User: auth.User{Username: name, Roles: []auth.Role{auth.Admin}}}
}

func (a Actor) audit() audit.Actor {
	role := ""
	if len(a.User.Roles) > 0 {
		role = string(a.User.Roles[0])
	}
	return audit.Actor{UserID: a.User.ID, Username: a.User.Username, Role: role}
}

// event builds an audit event stamped with the service clock.
func (s *Service) event(by Actor, action, entityType, entityID string, summary any) audit.Event {
	return audit.Event{At: s.now().UTC(), Actor: by.audit(), Action: action, EntityType: entityType,
		EntityID: entityID, Summary: audit.Summarize(summary), RequestID: by.RequestID}
}
