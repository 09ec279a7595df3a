package scoring

import (
	"fmt"
	"hash/fnv"
	"log/slog"
	"time"

	"accord/internal/auth"
	"accord/internal/classify"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// DefaultPSIAlert is the score PSI above which a night raises an alert: the
// usual rule of thumb reads below 0.1 as stable, 0.1–0.25 as a shift to
// watch and above 0.25 as a population the model no longer describes.
const DefaultPSIAlert = 0.25

// Options configure a Service. Zero fields take collect's values or the
// defaults.
type Options struct {
	Log      *slog.Logger
	Now      func() time.Time
	Zone     *time.Location
	Policy   ledger.Policy    // the ledger policy loans are replayed with; collect's when zero
	Buckets  classify.Buckets // the ladder roll30 reads; classify.DefaultBuckets when nil
	PSIAlert float64          // DefaultPSIAlert when 0
	Chunk    int              // borrowers per read while training and scoring; 500 when 0
	// NoEarlyWarning turns the nightly early-warning scan off (it reads
	// the borrowers with something new that night).
	NoEarlyWarning bool
}

// Service is the set of scoring use cases over one database.
type Service struct {
	db      *sqlstore.DB
	collect *collect.Service
	log     *slog.Logger
	now     func() time.Time
	zone    *time.Location
	opts    Options

	policyKey int64 // of opts.Policy

	// The nightly pass's slices: borrower ids per slice over the whole
	// book, and slices per read transaction (passSpan and passRenew, unless
	// a test sets smaller ones).
	span  int64
	renew int
}

// New returns a Service over db beside the collect service c.
func New(db *sqlstore.DB, c *collect.Service, opts Options) *Service {
	s := &Service{db: db, collect: c, log: opts.Log, now: opts.Now, zone: opts.Zone, span: passSpan, renew: passRenew}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = c.Now
	}
	if s.zone == nil {
		s.zone = c.Zone()
	}
	if opts.Policy.CostCap.IsZero() && len(opts.Policy.Waterfall) == 0 {
		opts.Policy = c.Policy()
	}
	if opts.Buckets == nil {
		opts.Buckets = classify.DefaultBuckets()
	}
	if opts.PSIAlert <= 0 {
		opts.PSIAlert = DefaultPSIAlert
	}
	if opts.Chunk <= 0 {
		opts.Chunk = 500
	}
	s.opts = opts
	s.policyKey = policyKey(opts.Policy)
	return s
}

// policyKey is a fingerprint of the ledger policy the features replay
// loans with: a borrower cached as paid off under one policy is replayed again
// under another (sqlstore.MarkDone, sqlstore.CacheScoringFacts).
func policyKey(p ledger.Policy) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%v|%s", p.Waterfall, p.CostCap.String())
	return int64(h.Sum64() >> 1) // a positive BIGINT
}

// Wire builds the Service for c over c's database and adds its nightly
// step to c's nightly run.
func Wire(c *collect.Service, opts Options) *Service {
	s := New(c.Store(), c, opts)
	c.UseNightly(s)
	return s
}

// Today returns the lender's business date now.
func (s *Service) Today() date.Date { return date.FromTime(s.now().In(s.zone)) }

func require(by collect.Actor, p auth.Permission, what string) error {
	if !by.User.Can(p) {
		return errs.Errorf(errs.Forbidden, "Your role may not %s.", what)
	}
	return nil
}

// systemActor is who the nightly step acts as.
var systemActor = collect.System("scoring")
