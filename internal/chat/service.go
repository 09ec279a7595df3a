package chat

import (
	"context"
	"log/slog"
	"time"

	"accord/internal/collect"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// Options configure a Service. Zero fields take the defaults.
type Options struct {
	Log *slog.Logger
	Now func() time.Time // the clock; the collect service's when nil
	// PortalURL is where the borrower portal lives; the bot links to its
	// affordability form (PortalURL+"/plan") and its pay page
	// (PortalURL+"/pay"). "/my" (the portal's own routes) by default.
	PortalURL string
	// LiveWindow is how long after the borrower's message the bot's reply
	// still answers it in a live chat (5 minutes by default); a reply
	// later than that is an outbound push and follows the time rules.
	LiveWindow time.Duration
	// HandoverExpiry is how long a conversation handed to a person stays
	// with people after the borrower's last message; a message after that
	// starts afresh with the bot (72 hours by default). A vulnerable
	// borrower is still kept from the bot's collection content by the
	// governor, which hands them back to a person.
	HandoverExpiry time.Duration
	// MaxBindFailures is how many wrong loan number and phone pairs a
	// channel reference may send before it is locked (5 by default).
	MaxBindFailures int
	// Offers, when set, lists the plan offers a borrower could accept on
	// the spot (the portal's self-service); the bot mentions them on a
	// hardship or plan request.
	Offers Offers
	// PromisePolicy is the promise policy the promise book applies
	// (negotiation's); promise.DefaultPolicy() when nil. The bot checks a
	// confirmed promise against it before saying it is recorded.
	PromisePolicy *promise.Policy
}

// Offers is the portal's self-service offer list, a seam so that the chat
// package does not depend on the portal's.
type Offers interface {
	// AutoApprovable returns how many offers borrowerID could accept in the
	// portal now without a negotiator.
	AutoApprovable(ctx context.Context, borrowerID int64) (int, error)
}

// OffersFunc adapts a function to Offers.
type OffersFunc func(ctx context.Context, borrowerID int64) (int, error)

// AutoApprovable calls f.
func (f OffersFunc) AutoApprovable(ctx context.Context, borrowerID int64) (int, error) {
	return f(ctx, borrowerID)
}

// Service is the borrower chatbot's use cases over one database.
type Service struct {
	db      *sqlstore.DB
	collect *collect.Service
	log     *slog.Logger
	now     func() time.Time
	opts    Options
}

// New returns the chatbot over c's database, acting through c's rules
// (the contact governor, the promise book wired into c).
func New(c *collect.Service, opts Options) *Service {
	s := &Service{db: c.Store(), collect: c, log: opts.Log, now: opts.Now, opts: opts}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = c.Now
	}
	if s.opts.PortalURL == "" {
		s.opts.PortalURL = "/my"
	}
	if s.opts.LiveWindow <= 0 {
		s.opts.LiveWindow = 5 * time.Minute
	}
	if s.opts.HandoverExpiry <= 0 {
		s.opts.HandoverExpiry = 72 * time.Hour
	}
	if s.opts.MaxBindFailures <= 0 {
		s.opts.MaxBindFailures = 5
	}
	return s
}

// UseOffers sets the portal's offer list after construction (the portal is
// wired after the bot).
func (s *Service) UseOffers(o Offers) { s.opts.Offers = o }

// actor is who the bot acts as in the contact log, the promise book and the
// audit chain: an unattended system actor named after the channel, with
// the request id of the call that brought the message.
func actor(channel, requestID string) collect.Actor {
	a := collect.System("bot:" + channel)
	a.RequestID = requestID
	return a
}
