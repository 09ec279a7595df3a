package collect

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"accord/internal/casework"
	"accord/internal/sqlstore"
)

// write stores what a chunk decided, in this order: messages (whose cost
// lands on the case only when the message is new), experiment records,
// cases, events, tasks, payment attributions, and one audit event.
func (r *caseRun) write(ctx context.Context, tx *sqlstore.Tx, ch *sqlstore.CaseChunk, works []*caseWork, exps map[int64]sqlstore.ExperimentCase, out *chunkWrites) error {
	for i := range out.messages {
		pm := &out.messages[i]
		created, err := tx.EnqueueMessage(ctx, &pm.m)
		if err != nil {
			return fmt.Errorf("queue message %s: %w", pm.m.DedupKey, err)
		}
		if !created {
			continue
		}
		r.sum.messages++
		pm.w.c.Cost += pm.cost
		pm.w.add(sqlstore.EventMessage, pm.m.TemplateID, fmt.Sprintf("短信已排队（模板%s）", pm.m.TemplateID),
			fmt.Sprintf("SMS queued (template %s)", pm.m.TemplateID),
			map[string]any{"message_id": pm.m.ID, "template": pm.m.TemplateID, "dedup_key": pm.m.DedupKey},
			"message:"+strings.TrimPrefix(pm.m.DedupKey, fmt.Sprintf("case:%d:", pm.w.c.ID)))
	}
	if err := tx.SaveExperimentCases(ctx, r.experimentRows(works, exps)); err != nil {
		return err
	}
	cases := make([]sqlstore.Case, 0, len(works))
	for _, w := range works {
		if !w.isNew && ch.Unchanged(w.c) {
			continue // nothing changed (a case under a kept plan): updated_at stays the last change's
		}
		cases = append(cases, w.c)
	}
	if err := tx.SaveCases(ctx, cases); err != nil {
		return err
	}
	if _, err := tx.AddCaseEvents(ctx, r.events(works)); err != nil {
		return err
	}
	n, err := tx.InsertTasks(ctx, out.tasks)
	if err != nil {
		return err
	}
	r.sum.tasks += n
	if _, err := tx.CloseTasks(ctx, out.superseded, sqlstore.TaskCancelled, "superseded"); err != nil {
		return err
	}
	if _, err := tx.CloseTasks(ctx, out.closed, sqlstore.TaskCancelled, "case_closed"); err != nil {
		return err
	}
	for _, o := range sortedOwners(out.reassign) {
		if err := tx.ReassignTasks(ctx, out.reassign[o], o); err != nil {
			return err
		}
	}
	if _, err := tx.AddCasePayments(ctx, r.attributions(works)); err != nil {
		return err
	}
	return r.audit(ctx, tx, works, n)
}

// events collects the chunk's events with their case ids and keys.
func (r *caseRun) events(works []*caseWork) []sqlstore.CaseEvent {
	var evs []sqlstore.CaseEvent
	for _, w := range works {
		for _, p := range w.events {
			e := p.e
			e.CaseID, e.BorrowerID, e.On = w.c.ID, w.c.BorrowerID, r.asOf
			e.DedupKey = fmt.Sprintf("case:%d:%s", w.c.ID, p.suffix)
			evs = append(evs, e)
		}
	}
	return evs
}

// attributions credits tonight's newly seen payments to the case's bucket
// and owner before tonight's changes.
func (r *caseRun) attributions(works []*caseWork) []sqlstore.CasePayment {
	var out []sqlstore.CasePayment
	for _, w := range works {
		bucket := w.before.Bucket
		if w.isNew {
			bucket = w.c.Bucket
		}
		for _, p := range w.pays {
			out = append(out, sqlstore.CasePayment{PaymentID: p.ID, CaseID: w.c.ID, BorrowerID: w.c.BorrowerID, LoanID: p.LoanID,
				PaidOn: p.PaidOn, Amount: p.Amount, Bucket: bucket, Owner: w.before.Owner, TeamID: r.pool.team(w.before.Owner)})
		}
	}
	return out
}

// experimentRows brings the running experiment's record of each case up
// to date: a case enters on the first night it runs under the experiment,
// with its counters then as the baseline.
func (r *caseRun) experimentRows(works []*caseWork, exps map[int64]sqlstore.ExperimentCase) []sqlstore.ExperimentCase {
	if r.st.exp == nil {
		return nil
	}
	var out []sqlstore.ExperimentCase
	for _, w := range works {
		c := &w.c
		ec, ok := exps[c.ID]
		if !ok {
			if c.Status != casework.Open || c.ExperimentID != r.st.exp.ID {
				continue
			}
			ec = sqlstore.ExperimentCase{ExperimentID: r.st.exp.ID, CaseID: c.ID, BorrowerID: c.BorrowerID, Arm: c.Arm,
				EnteredOn: r.asOf, StartRank: c.BucketRank, MaxRank: c.BucketRank, StartRecovered: w.before.Recovered,
				StartAttempts: w.before.Attempts, StartCost: w.before.Cost}
		}
		next := ec
		next.MaxRank = max(ec.MaxRank, c.BucketRank)
		next.Cured = c.Status == casework.Closed && c.CloseReason == casework.Cured
		next.Recovered, next.Contacts, next.Cost = c.Recovered-ec.StartRecovered, c.Attempts-ec.StartAttempts, c.Cost-ec.StartCost
		next.UpdatedOn = ec.UpdatedOn
		if ok && next == ec {
			continue
		}
		next.UpdatedOn = r.asOf
		out = append(out, next)
	}
	return out
}

// audit records the chunk in the audit log: one event per chunk, with the
// counts and the first case ids, rather than one per case.
func (r *caseRun) audit(ctx context.Context, tx *sqlstore.Tx, works []*caseWork, tasks int) error {
	var opened, closed, assigned []int64
	for _, w := range works {
		switch {
		case w.isNew:
			opened = append(opened, w.c.ID)
		case w.c.Status == casework.Closed:
			closed = append(closed, w.c.ID)
		}
		if w.reassigned {
			assigned = append(assigned, w.c.ID)
		}
	}
	if len(opened)+len(closed)+len(assigned)+tasks == 0 {
		return nil
	}
	first := func(ids []int64) []int64 { return ids[:min(len(ids), 20)] }
	return tx.AppendAudit(ctx, r.s.event(r.by, "case.cycle", "cycle", r.asOf.String(), map[string]any{
		"cases": len(works), "opened": len(opened), "closed": len(closed), "assigned": len(assigned), "tasks_created": tasks,
		"opened_first_20": first(opened), "closed_first_20": first(closed), "assigned_first_20": first(assigned),
		"first_borrower_id": works[0].c.BorrowerID, "last_borrower_id": works[len(works)-1].c.BorrowerID}))
}

func sortedOwners(m map[casework.Owner][]int64) []casework.Owner {
	out := make([]casework.Owner, 0, len(m))
	for o := range m {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b casework.Owner) int {
		if a.Kind != b.Kind {
			return strings.Compare(string(a.Kind), string(b.Kind))
		}
		return int(a.ID - b.ID)
	})
	return out
}
