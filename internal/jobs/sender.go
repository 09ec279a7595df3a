package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"accord/internal/collect"
	"accord/internal/notify"
	"accord/internal/outbox"
)

// Sender delivers due outbox messages through Notifier. Create one with
// its fields set; the zero values of Interval, Batch, Lease and SendTimeout
// take defaults.
//
//	s := &jobs.Sender{Svc: svc, Notifier: notify.Router{notify.SMS: sms, notify.Email: smtp}, Log: log}
//	go s.Run(ctx) // until ctx is cancelled
type Sender struct {
	Svc      *collect.Service
	Notifier notify.Sender
	Log      *slog.Logger

	Interval    time.Duration // between rounds when the outbox is empty; default 5s
	Batch       int           // messages claimed at once; default 50
	Lease       time.Duration // how long a claim lasts; default outbox.Lease
	SendTimeout time.Duration // per message; default 30s (below the lease)

	// crash, when set (tests only), is asked at the points where a crash
	// matters, "claimed" and "sent"; true stops the round there without
	// writing anything more, as if the process had died.
	crash func(point string) bool
}

// Stats counts what one round did.
type Stats struct {
	Claimed int // messages claimed, whatever became of them
	Sent    int // accepted by the provider
	Retried int // failed for now, to be retried
	Failed  int // failed for good
}

func (s Stats) String() string {
	return fmt.Sprintf("claimed %d, sent %d, retried %d, failed %d", s.Claimed, s.Sent, s.Retried, s.Failed)
}

// errCrashed is returned by a round stopped by the crash hook.
var errCrashed = errors.New("jobs: simulated crash")

func (s *Sender) defaults() {
	if s.Interval <= 0 {
		s.Interval = 5 * time.Second
	}
	if s.Batch <= 0 {
		s.Batch = 50
	}
	if s.Lease <= 0 {
		s.Lease = outbox.Lease
	}
	if s.SendTimeout <= 0 {
		s.SendTimeout = 30 * time.Second
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
}

// Run sends rounds until ctx is cancelled, at once while there is work and
// every Interval otherwise, and returns nil then. A failing round is logged
// and retried at the next tick.
func (s *Sender) Run(ctx context.Context) error {
	s.defaults()
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	for {
		st, err := s.RunOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			s.Log.Error("sender round", "err", err)
		case st.Claimed > 0:
			s.Log.Info("sender round", "claimed", st.Claimed, "sent", st.Sent, "retried", st.Retried, "failed", st.Failed)
		}
		if err == nil && st.Claimed == s.Batch {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Drain sends rounds until no message is due, for `accord outbox run
// --once`, and returns the totals.
func (s *Sender) Drain(ctx context.Context) (Stats, error) {
	var total Stats
	for {
		st, err := s.RunOnce(ctx)
		total.Claimed += st.Claimed
		total.Sent += st.Sent
		total.Retried += st.Retried
		total.Failed += st.Failed
		if err != nil || st.Claimed == 0 {
			return total, err
		}
	}
}

// RunOnce claims one batch of due messages and delivers those the governor
// clears now.
func (s *Sender) RunOnce(ctx context.Context) (Stats, error) {
	s.defaults()
	var st Stats
	ready, n, err := s.Svc.ClaimMessages(ctx, s.Batch, s.Lease)
	st.Claimed = n
	if err != nil {
		return st, err
	}
	if s.crash != nil && s.crash("claimed") {
		return st, errCrashed
	}
	for _, m := range ready {
		if ctx.Err() != nil {
			break // the claims lapse and another round picks the messages up
		}
		if err := s.deliver(ctx, m, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// deliver hands m to the provider and records what happened. The record is
// written even if ctx is cancelled meanwhile (shutdown), so that a message
// handed over is not handed over again needlessly.
func (s *Sender) deliver(ctx context.Context, m outbox.Message, st *Stats) error {
	sctx, cancel := context.WithTimeout(ctx, s.SendTimeout)
	receipt, sendErr := s.Notifier.Send(sctx, notify.Message{ID: m.ID, Channel: notify.Channel(m.Channel), To: m.To,
		Subject: m.Subject, Body: m.Body, Lang: m.Lang})
	cancel()
	if s.crash != nil && s.crash("sent") {
		return errCrashed
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	switch {
	case sendErr == nil:
		st.Sent++
		// The service clock stamps the send: the provider's clock may be
		// off, and the contact log counts in one time line.
		return s.Svc.MessageSent(rctx, m, receipt.ProviderID, time.Time{})
	case notify.Permanent(sendErr):
		st.Failed++
		s.Log.Warn("message refused by provider", "message_id", m.ID, "err", sendErr)
		return s.Svc.MessageFailed(rctx, m, sendErr.Error(), true, notify.KindOf(sendErr) == notify.KindInvalidRecipient)
	default:
		st.Retried++
		s.Log.Warn("message not sent; will retry", "message_id", m.ID, "attempt", m.Attempts, "err", sendErr)
		return s.Svc.MessageFailed(rctx, m, sendErr.Error(), false, false)
	}
}
