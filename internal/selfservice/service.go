package selfservice

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/gateway"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// Policy holds the self-service limits. Zero fields take DefaultPolicy's.
type Policy struct {
	CodeTTL       time.Duration // how long a sign-in code is valid: 5 minutes
	CodeAttempts  int           // wrong codes before the challenge is locked: 5
	SendsPerPhone int           // codes asked for one phone per SendWindow: 5
	SendsPerAddr  int           // codes asked for from one address per SendWindow: 20
	SendWindow    time.Duration // 1 hour
	LockFailures  int           // wrong codes for one phone within LockWindow that lock it: 10
	LockWindow    time.Duration // 1 hour
	LockFor       time.Duration // how long a phone (or address) stays locked: 30 minutes
	AddrFailures  int           // wrong codes from one client address within LockWindow that lock it: 30
	SessionIdle   time.Duration // a session ends after this long unused: 15 minutes
	SessionMax    time.Duration // and this long after sign-in at the latest: 1 hour
	OrderTTL      time.Duration // how long a payment order may be paid: 30 minutes
	// AutoApproval is the level of the authority matrix whose limits an
	// offer must fit to be accepted on the spot: collector.
	AutoApproval offer.Level
}

// DefaultPolicy returns the built-in limits.
func DefaultPolicy() Policy {
	return Policy{CodeTTL: 5 * time.Minute, CodeAttempts: 5, SendsPerPhone: 5, SendsPerAddr: 20, SendWindow: time.Hour,
		LockFailures: 10, AddrFailures: 30, LockWindow: time.Hour, LockFor: 30 * time.Minute, SessionIdle: 15 * time.Minute,
		SessionMax: time.Hour, OrderTTL: 30 * time.Minute, AutoApproval: offer.Collector}
}

func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	or := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	ori := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	or(&p.CodeTTL, d.CodeTTL)
	or(&p.SendWindow, d.SendWindow)
	or(&p.LockWindow, d.LockWindow)
	or(&p.LockFor, d.LockFor)
	or(&p.SessionIdle, d.SessionIdle)
	or(&p.SessionMax, d.SessionMax)
	or(&p.OrderTTL, d.OrderTTL)
	ori(&p.CodeAttempts, d.CodeAttempts)
	ori(&p.SendsPerPhone, d.SendsPerPhone)
	ori(&p.SendsPerAddr, d.SendsPerAddr)
	ori(&p.LockFailures, d.LockFailures)
	ori(&p.AddrFailures, d.AddrFailures)
	if p.AutoApproval == "" {
		p.AutoApproval = d.AutoApproval
	}
	return p
}

// Gateway creates payment orders: *gateway.Client, or a fake in tests.
type Gateway interface {
	CreateOrder(ctx context.Context, o gateway.OrderRequest) (gateway.Order, error)
}

// Options configure a Service.
type Options struct {
	Log     *slog.Logger
	Policy  Policy
	Gateway Gateway // nil: paying online is unavailable (Unavailable errors)
	// Callbacks verifies the gateway's callbacks; a zero Verifier (no
	// secret) refuses them all.
	Callbacks gateway.Verifier
	// ReturnBase is the portal's public base URL for the gateway's return
	// link, e.g. "https://accord.example.cn"; "" sends a relative link.
	ReturnBase string
}

// Service is the set of borrower self-service use cases.
type Service struct {
	db      *sqlstore.DB
	collect *collect.Service
	neg     *negotiation.Service
	log     *slog.Logger
	pol     Policy
	gw      Gateway
	verify  gateway.Verifier
	base    string
}

// New returns a Service beside the collect service c and the negotiation
// service n (wired as c's promise book), on c's clock and database.
func New(c *collect.Service, n *negotiation.Service, opts Options) *Service {
	s := &Service{db: c.Store(), collect: c, neg: n, log: opts.Log, pol: opts.Policy.withDefaults(), gw: opts.Gateway, verify: opts.Callbacks,
		base: opts.ReturnBase}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// Policy returns the limits in force.
func (s *Service) Policy() Policy { return s.pol }

// PaymentsEnabled reports whether a payment gateway is configured.
func (s *Service) PaymentsEnabled() bool { return s.gw != nil }

func (s *Service) now() time.Time { return s.collect.Now().UTC() }

// Today returns the lender's business date now.
func (s *Service) Today() date.Date { return s.collect.Today() }

// Borrower is who a self-service use case acts for: a borrower signed in on
// the portal (Authenticate returns it) or one the chatbot's channel has
// identified (ForChannel).
type Borrower struct {
	ID        int64     `json:"borrower_id"`
	LoanID    int64     `json:"loan_id,omitempty"` // the loan signed in with
	SessionID int64     `json:"-"`
	CSRFToken string    `json:"-"`
	Channel   string    `json:"channel"` // portal or bot
	Addr      string    `json:"-"`
	RequestID string    `json:"-"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// ForChannel returns the Borrower for borrower id on a channel that has
// identified them by its own means (the chatbot's messaging channel:
// "bot"). The caller vouches for the identification.
func ForChannel(id int64, channel string) Borrower { return Borrower{ID: id, Channel: channel} }

// actor is the system actor the negotiation use cases run as for who,
// after selfservice has checked who's own scope.
func (s *Service) actor(who Borrower) collect.Actor {
	return collect.Actor{User: auth.User{Username: who.Channel + ":borrower:" + strconv.FormatInt(who.ID, 10),
		Roles: []auth.Role{auth.Admin}}, RequestID: who.RequestID}
}

// event is an audit event by the borrower themself.
func (s *Service) event(who Borrower, action, entityType string, entityID int64, summary map[string]any) audit.Event {
	if summary == nil {
		summary = map[string]any{}
	}
	summary["channel"] = who.Channel
	return audit.Event{At: s.now(), Actor: audit.Actor{Username: "borrower:" + strconv.FormatInt(who.ID, 10), Role: "borrower"},
		Action: action, EntityType: entityType, EntityID: strconv.FormatInt(entityID, 10), Summary: audit.Summarize(summary),
		RequestID: who.RequestID}
}
