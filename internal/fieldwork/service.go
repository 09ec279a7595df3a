package fieldwork

import (
	"context"
	"log/slog"
	"time"

	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/negotiation"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// Options configure a Service. Zero fields take the defaults.
type Options struct {
	Log    *slog.Logger
	Now    func() time.Time // the clock; the collect service's when nil
	Zone   *time.Location   // the lender's business zone; collect's when nil
	Policy *visit.Policy    // visit.DefaultPolicy() when nil; its Compliance is always the tenant's governor policy
	// Duration is the expected time on site of a visit that names none
	// (45 minutes by default).
	Duration time.Duration
	// NoticeDays is how many days ahead of tonight the nightly step plans
	// the notices of approved visits (the first allowed slot from the day
	// after tomorrow within this many days; 7 by default).
	NoticeDays int
}

// Service is the set of field-visit use cases over one database.
type Service struct {
	db         *sqlstore.DB
	collect    *collect.Service
	neg        *negotiation.Service
	log        *slog.Logger
	now        func() time.Time
	zone       *time.Location
	policy     visit.Policy
	duration   time.Duration
	noticeDays int
}

// New returns a Service over db beside the collect and negotiation
// services.
func New(db *sqlstore.DB, c *collect.Service, n *negotiation.Service, opts Options) *Service {
	s := &Service{db: db, collect: c, neg: n, log: opts.Log, now: opts.Now, zone: opts.Zone, policy: visit.DefaultPolicy(),
		duration: opts.Duration, noticeDays: opts.NoticeDays}
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
	if s.duration <= 0 {
		s.duration = 45 * time.Minute
	}
	if s.noticeDays <= 0 {
		s.noticeDays = 7
	}
	return s
}

// Wire builds the Service over c's database and adds its nightly step to
// c's nightly run; cmd/accord and tests use it.
func Wire(c *collect.Service, n *negotiation.Service, opts Options) *Service {
	s := New(c.Store(), c, n, opts)
	c.UseNightly(s)
	return s
}

// Today returns the lender's business date now.
func (s *Service) Today() date.Date { return date.FromTime(s.now().In(s.zone)) }

// Policy returns the visit policy in force: the configured settings with
// the tenant's governor policy (hours, notice, holidays) as stored now.
func (s *Service) Policy(ctx context.Context) (visit.Policy, error) {
	p := s.policy
	list, err := s.collect.Policies(ctx, collect.System("fieldwork"))
	if err != nil {
		return p, err
	}
	for _, pp := range list {
		if pp.Jurisdiction == compliance.CN {
			if p.Compliance, err = pp.Settings.Policy(); err != nil {
				return p, err
			}
		}
	}
	return p, nil
}
