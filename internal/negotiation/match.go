package negotiation

import (
	"context"
	"fmt"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// MatchPayment credits payment p of borrower borrowerID to their open
// promises, first in first out (collect.Promises; called inside the
// posting transaction). A promise it fills (less the tolerance) is kept at
// once. A payment already matched is left alone, so posting it again
// changes nothing.
func (s *Service) MatchPayment(ctx context.Context, tx *sqlstore.Tx, borrowerID int64, p ledger.Payment) error {
	done, err := tx.PromiseMatches(ctx, borrowerID, p.ID)
	if err != nil || len(done) > 0 || p.Reversed {
		return err
	}
	open, err := tx.Promises(ctx, sqlstore.PromiseFilter{BorrowerID: borrowerID, Statuses: []promise.Status{promise.Open}})
	if err != nil {
		return err
	}
	return s.apply(ctx, tx, open, p, s.Today())
}

// apply credits payment p to the promises open, recording the matches,
// and keeps the promises it fills as of on.
func (s *Service) apply(ctx context.Context, tx *sqlstore.Tx, open []promise.Promise, p ledger.Payment, on date.Date) error {
	ms, _ := promise.Allocate(open, p.Amount, p.PaidOn)
	if len(ms) == 0 {
		return nil
	}
	byID := make(map[int64]*promise.Promise, len(open))
	for i := range open {
		byID[open[i].ID] = &open[i]
	}
	rows := make([]sqlstore.PromiseMatch, len(ms))
	for i, m := range ms {
		pr := byID[m.PromiseID]
		rows[i] = sqlstore.PromiseMatch{BorrowerID: pr.BorrowerID, PaymentID: p.ID, PromiseID: pr.ID, Amount: m.Amount, PaidOn: p.PaidOn}
		pr.Paid += m.Amount
		if err := s.rejudge(ctx, tx, pr, pr.Due, on); err != nil {
			return err
		}
	}
	return tx.AddPromiseMatches(ctx, rows)
}

// UnmatchPayment takes reversed payment p back from the promises it was
// credited to (collect.Promises). A kept promise it no longer fills opens
// again before its date, or becomes partly kept or broken after it.
func (s *Service) UnmatchPayment(ctx context.Context, tx *sqlstore.Tx, borrowerID int64, p ledger.Payment) error {
	ms, err := tx.PromiseMatches(ctx, borrowerID, p.ID)
	if err != nil || len(ms) == 0 {
		return err
	}
	if _, err := tx.DeletePromiseMatches(ctx, borrowerID, p.ID); err != nil {
		return err
	}
	today := s.Today()
	for _, m := range ms {
		pr, err := tx.Promise(ctx, m.PromiseID)
		if err != nil {
			return err
		}
		pr.Paid -= m.Amount
		if err := s.rejudge(ctx, tx, &pr, today, today); err != nil {
			return err
		}
	}
	return nil
}

// rejudge stores pr after its amount paid changed, judged as of asOf, and
// when its judgement changed moves the case's counters, records it on the
// timeline (dated on) and refreshes the case's open promise.
func (s *Service) rejudge(ctx context.Context, tx *sqlstore.Tx, pr *promise.Promise, asOf, on date.Date) error {
	was := pr.Status
	pr.Status = s.policy.Judge(*pr, asOf)
	switch {
	case pr.Status == promise.Open:
		pr.JudgedOn = 0
	case pr.Status != was:
		pr.JudgedOn = on
	}
	if err := tx.UpdatePromise(ctx, *pr); err != nil {
		return err
	}
	if pr.Status == was {
		return nil
	}
	k1, b1 := promise.Counts(was)
	k2, b2 := promise.Counts(pr.Status)
	if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{judged(*pr, on)}); err != nil {
		return err
	}
	return tx.SyncCasePromise(ctx, pr.CaseID, k2-k1, b2-b1, on)
}

// judged is the timeline entry for pr's new status.
func judged(pr promise.Promise, on date.Date) sqlstore.CaseEvent {
	zh, en := "", ""
	switch pr.Status {
	case promise.Kept:
		zh, en = "承诺还款已兑现", "Promise kept"
	case promise.PartlyKept:
		zh, en = "承诺还款部分兑现", "Promise partly kept"
	case promise.Broken:
		zh, en = "承诺还款违约", "Promise broken"
	default:
		zh, en = "承诺还款重新待履行（还款冲正）", "Promise open again (payment reversed)"
	}
	zh += fmt.Sprintf("：承诺%s前还%s元，实还%s元", pr.Due, pr.Amount, pr.Paid)
	en += fmt.Sprintf(": %s promised by %s, %s paid", pr.Amount, pr.Due, pr.Paid)
	return event(pr, string(pr.Status), on, zh, en, "")
}

// judgeChunk is how many borrowers one transaction of the nightly
// judgement takes.
const judgeChunk = 500

// JudgePromises judges, as of asOf, every open promise due before asOf
// (collect.Promises; the nightly run calls it before casework), in chunks
// of borrowers, one transaction each with its audit event. Payments not
// credited yet (imported, simulated) are matched first. Promises it judges
// are no longer open, so a re-run of the date judges nothing more. It
// returns how many promises it judged.
func (s *Service) JudgePromises(ctx context.Context, asOf date.Date) (int, error) {
	total := 0
	for after := int64(0); ; {
		var ids []int64
		n := 0
		err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			var err error
			if ids, err = tx.DuePromiseBorrowers(ctx, asOf, after, judgeChunk); err != nil || len(ids) == 0 {
				return err
			}
			counts := map[promise.Status]int{}
			for _, b := range ids {
				if err := s.judgeBorrower(ctx, tx, b, asOf, counts); err != nil {
					return fmt.Errorf("judge promises of borrower %d: %w", b, err)
				}
			}
			for _, c := range counts {
				n += c
			}
			return tx.AppendAudit(ctx, s.collect.Event(collect.System("nightly-run"), "promise.judge", "cycle", asOf.String(),
				map[string]any{"borrowers": len(ids), "kept": counts[promise.Kept], "partly_kept": counts[promise.PartlyKept],
					"broken": counts[promise.Broken], "first_borrower_id": ids[0], "last_borrower_id": ids[len(ids)-1]}))
		})
		if err != nil {
			return total, fmt.Errorf("judge promises after borrower %d: %w", after, err)
		}
		total += n
		if len(ids) < judgeChunk {
			return total, nil
		}
		after = ids[len(ids)-1]
	}
}

// judgeBorrower credits borrower b's uncredited payments to their open
// promises and judges those due before asOf, counting the results.
func (s *Service) judgeBorrower(ctx context.Context, tx *sqlstore.Tx, b int64, asOf date.Date, counts map[promise.Status]int) error {
	open := []promise.Status{promise.Open}
	list, err := tx.Promises(ctx, sqlstore.PromiseFilter{BorrowerID: b, Statuses: open})
	if err != nil || len(list) == 0 {
		return err
	}
	since := list[0].MadeOn
	for _, p := range list {
		since = min(since, p.MadeOn)
	}
	pays, err := tx.UnmatchedPayments(ctx, b, since)
	if err != nil {
		return err
	}
	for _, p := range pays {
		if list, err = tx.Promises(ctx, sqlstore.PromiseFilter{BorrowerID: b, Statuses: open}); err != nil {
			return err
		}
		if err := s.apply(ctx, tx, list, p, asOf); err != nil {
			return err
		}
	}
	due, err := tx.Promises(ctx, sqlstore.PromiseFilter{BorrowerID: b, Statuses: open, DueBefore: asOf})
	if err != nil {
		return err
	}
	for i := range due {
		if err := s.rejudge(ctx, tx, &due[i], asOf, asOf); err != nil {
			return err
		}
		counts[due[i].Status]++
	}
	return nil
}
