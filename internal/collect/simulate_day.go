package collect

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"

	"accord/internal/casework"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/demo"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
)

// simBehaviours returns every borrower's behaviour. For a demo portfolio
// (the audit log records its seed, size and date) they are the demo's own,
// regenerated; otherwise it returns nil and behaviours are inferred from
// each case's segment (inferBehaviour).
func (s *Service) simBehaviours(ctx context.Context) (map[int64]demo.Behaviour, string, error) {
	var cfg demo.Config
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		action := "demo.load"
		evs, _, err := tx.AuditEventsFor(ctx, sqlstore.AuditFilter{Action: &action, Limit: 1})
		if err != nil || len(evs) == 0 {
			return err
		}
		var v struct {
			Borrowers int       `json:"borrowers"`
			Seed      uint64    `json:"seed"`
			AsOf      date.Date `json:"as_of"`
		}
		if err := json.Unmarshal(evs[0].Summary, &v); err != nil {
			return fmt.Errorf("read demo.load event: %w", err)
		}
		cfg = demo.Config{Borrowers: v.Borrowers, Seed: v.Seed, AsOf: v.AsOf}
		return nil
	})
	if err != nil || cfg.Borrowers == 0 {
		return nil, "inferred", err
	}
	out := make(map[int64]demo.Behaviour, cfg.Borrowers)
	err = demo.Generate(cfg, func(b demo.Bundle) error {
		out[b.Borrower.ID] = b.Behaviour
		return ctx.Err()
	})
	return out, "demo", err
}

// inferBehaviour stands in for a borrower the demo did not generate: the
// behaviour matching their segment, in trouble since their case opened.
func inferBehaviour(borrowerID int64, segment string, since date.Date) demo.Behaviour {
	b := demo.Behaviour{Kind: demo.OccasionallyLate, Seed: simHash(uint64(borrowerID), 0, "seed") >> 11, LateRate: 0.1}
	switch segment {
	case "willing_unable":
		b.Kind, b.Partial, b.TroubleOn = demo.Hardship, true, since
	case "unwilling_able":
		b.Kind, b.TroubleOn = demo.StrategicDefaulter, since
	case "unwilling_unable":
		b.Kind, b.TroubleOn = demo.Unreachable, since
	}
	return b
}

// simHash mixes its inputs into 64 bits, for the simulation's own draws.
func simHash(a, b uint64, tag string) uint64 {
	h := fnv.New64a()
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], a)
	binary.BigEndian.PutUint64(buf[8:], b)
	h.Write(buf[:])
	h.Write([]byte(tag))
	return h.Sum64()
}

func simUnit(a, b uint64, tag string) float64 { return float64(simHash(a, b, tag)>>11) / (1 << 53) }

// simDay plays one day's borrower and collector actions, in one
// transaction, before that day's nightly run.
func (s *Service) simDay(ctx context.Context, opts SimulateOptions, beh map[int64]demo.Behaviour, day *SimDay) error {
	d := day.Day
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		behOf := func(id int64, segment string, since date.Date) demo.Behaviour {
			if b, ok := beh[id]; ok {
				return b
			}
			return inferBehaviour(id, segment, since)
		}
		if err := s.simInstallments(ctx, tx, d, behOf, day); err != nil {
			return err
		}
		marks := map[int64]sqlstore.CaseMark{}
		if err := tx.CaseMarks(ctx, d.AddDays(36500), func(m sqlstore.CaseMark) error {
			marks[m.ID] = m
			return nil
		}); err != nil {
			return err
		}
		resp := make(map[int64]demo.Response, len(marks))
		for id, m := range marks {
			resp[id] = behOf(m.BorrowerID, m.Segment, m.OpenedOn).Respond(d, demo.State{DPD: m.DPD + 1, Overdue: m.Overdue})
		}
		if err := s.simCalls(ctx, tx, opts, d, marks, resp, day); err != nil {
			return err
		}
		return s.simPayments(ctx, tx, d, marks, resp, day)
	})
}

// simInstallments has current borrowers pay the installments falling due
// today, on time, unless their behaviour says they pay late (then their
// case's draws decide) or they are in trouble.
func (s *Service) simInstallments(ctx context.Context, tx *sqlstore.Tx, d date.Date,
	behOf func(int64, string, date.Date) demo.Behaviour, day *SimDay) error {
	due, err := tx.LoansDue(ctx, d)
	if err != nil {
		return err
	}
	for _, l := range due {
		b := behOf(l.BorrowerID, "willing_able", 0)
		troubled := !b.TroubleOn.IsZero() && !d.Before(b.TroubleOn)
		late := b.Kind != demo.AlwaysOnTime && simUnit(b.Seed, uint64(d), "late") < b.LateRate
		if troubled || late {
			continue
		}
		if err := s.simPay(ctx, tx, l.LoanID, l.Amount, d, fmt.Sprintf("SIM-%s-I%d", d, l.LoanID)); err != nil {
			return err
		}
		day.InstallmentsPaid++
	}
	return nil
}

func (s *Service) simPay(ctx context.Context, tx *sqlstore.Tx, loanID int64, amount money.Amount, d date.Date, ext string) error {
	p := ledger.Payment{ExternalID: ext, LoanID: loanID, Amount: amount, PaidOn: d, Channel: "simulation",
		ReceivedAt: d.Time().Add(10 * 3600e9)}
	return tx.CreatePayment(ctx, &p)
}

// simCalls has every collector and agency work its open call tasks in
// queue order, up to its calls for the day. A borrower who answers and has
// no promise running promises to pay what is overdue within PromiseDays.
func (s *Service) simCalls(ctx context.Context, tx *sqlstore.Tx, opts SimulateOptions, d date.Date,
	marks map[int64]sqlstore.CaseMark, resp map[int64]demo.Response, day *SimDay) error {
	list, err := tx.CallList(ctx)
	if err != nil {
		return err
	}
	made := map[casework.Owner]int{}
	at := d.Time().Add(3 * 3600e9)
	for _, c := range list {
		limit := opts.CallsPerCollector
		if c.Assignee.Kind == casework.ToAgency {
			limit = opts.CallsPerAgency
		}
		m, ok := marks[c.CaseID]
		if !ok || made[c.Assignee] >= limit {
			continue
		}
		made[c.Assignee]++
		r := resp[c.CaseID]
		cc := CaseContact{Channel: "call", Outcome: compliance.NoAnswer}
		if r.AnswersCall {
			cc.Outcome = compliance.Connected
			day.Connected++
			if s.promises != nil && m.PromiseDue.IsZero() && m.Overdue > 0 { // promises need the promise book
				cc.PromiseAmount, cc.PromiseDue = m.Overdue, d.AddDays(opts.PromiseDays)
				m.PromiseDue, m.PromiseAmount = cc.PromiseDue, cc.PromiseAmount
				marks[c.CaseID] = m
				day.Promises++
			}
		}
		day.Calls++
		owner := fmt.Sprintf("sim:%s", c.Assignee)
		if err := s.recordContact(ctx, tx, owner, sqlstore.Case{ID: c.CaseID, BorrowerID: c.BorrowerID}, cc, d, at, 0, 0); err != nil {
			return err
		}
	}
	return nil
}

// simPayments has borrowers with a case pay: a promise falling due today
// is kept or not by the borrower's draw, and otherwise they may pay of
// their own accord. A payment goes to the case's most delinquent loan.
func (s *Service) simPayments(ctx context.Context, tx *sqlstore.Tx, d date.Date, marks map[int64]sqlstore.CaseMark,
	resp map[int64]demo.Response, day *SimDay) error {
	for _, id := range sortedIDs(marks) {
		m, r := marks[id], resp[id]
		if m.WorstLoanID == 0 || m.Overdue <= 0 {
			continue
		}
		var amount money.Amount
		switch {
		case m.PromiseDue == d && r.KeepsPromise:
			amount = min(m.PromiseAmount, m.Overdue)
		case r.Pays:
			amount = r.Amount
		default:
			continue
		}
		if amount <= 0 {
			continue
		}
		if err := s.simPay(ctx, tx, m.WorstLoanID, amount, d, fmt.Sprintf("SIM-%s-C%d", d, id)); err != nil {
			return err
		}
		day.Payments++
		day.Collected += amount
	}
	return nil
}

// sortedIDs returns m's keys in ascending order.
func sortedIDs[V any](m map[int64]V) []int64 {
	out := make([]int64, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
