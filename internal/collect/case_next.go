package collect

import (
	"context"
	"sync"
	"time"

	"accord/internal/casework"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// nextCaseChecks bounds how many cases one "Get next case" asks the
// governor about before giving up.
const nextCaseChecks = 200

// ErrNoContactableCase is returned by NextCase when cases are left for today
// but the governor allows calling none of their borrowers now.
var ErrNoContactableCase = errs.Errorf(errs.NotFound,
	"No case you may call now: the cases left are outside their contact hours, at their daily limit or not to be contacted.")

// nextCase claims and returns the next case of by's queue in tx (see
// NextCase). m, when not nil, holds what the batch of presses tx runs read
// for all of them at once (planNextCase); a press finds there only what it
// would have read itself in tx.
func (s *Service) nextCase(ctx context.Context, tx *sqlstore.Tx, m *nextMemo, by Actor) (int64, error) {
	owner, err := s.queueOwner(ctx, tx, m, by)
	if err != nil {
		return 0, err
	}
	today := s.Today()
	return s.nextContactable(ctx, tx, m, by,
		func(offset int) ([]sqlstore.CaseRef, error) {
			if list, ok := m.takeCandidates(owner, today, offset); ok {
				return list, nil
			}
			return tx.NextCaseCandidates(ctx, owner, today, nextCasePage, offset)
		},
		func(id int64) (bool, error) { return tx.ClaimCase(ctx, id, today) })
}

// nextCasePage is how many candidates "Get next case" reads at a time.
const nextCasePage = 20

// queueOwner returns whose queue by's presses draw from: their agency's,
// or their own as a collector.
func (s *Service) queueOwner(ctx context.Context, tx *sqlstore.Tx, m *nextMemo, by Actor) (casework.Owner, error) {
	if by.User.AgencyID != 0 {
		return casework.Owner{Kind: casework.ToAgency, ID: by.User.AgencyID}, nil
	}
	if c, ok := m.collector(by.User.ID); ok {
		return casework.Owner{Kind: casework.ToCollector, ID: c}, nil
	}
	c, err := tx.CollectorIDByUser(ctx, by.User.ID)
	if notFoundErr(err) {
		return casework.Owner{}, errs.Errorf(errs.NotFound, "You have no case queue: you are not set up as a collector.")
	}
	if err != nil {
		return casework.Owner{}, err
	}
	if m != nil {
		m.collectors[by.User.ID] = c
	}
	return casework.Owner{Kind: casework.ToCollector, ID: c}, nil
}

// nextMemo is what a batch of "Get next case" presses reads for all of
// them before any runs, in their shared transaction (issue 11: each press
// reading its own cost about 160 µs on SQLite's one writer, most of it the
// governor's facts, nine queries a case): each press's queue owner, the
// first page of its candidates, and the governor's facts of the first
// candidate it would ask about, with one query per table for the whole
// batch (sqlstore.GovernorFactsOf). Nothing a press writes (the claim of
// a case) changes any of it, and a press takes candidates and facts only
// once, so that every press sees what it would have read itself in the
// transaction: on SQLite exactly; on PostgreSQL (READ COMMITTED) as of the
// start of the batch rather than a few milliseconds later, as if the
// press had come first. The contact rules are read once for the batch.
type nextMemo struct {
	collectors map[int64]int64                 // collector id by user id
	cands      map[queueDay][]sqlstore.CaseRef // the first page of candidates; taken by the first press of the queue
	want       []int64                         // borrowers whose facts the batch reads
	at         time.Time                       // the instant the facts were read for: the first press planned
	facts      map[int64]*sqlstore.GovernorFacts
	rules      *govRules
}

// queueDay is a queue on a day.
type queueDay struct {
	owner casework.Owner
	today date.Date
}

func newNextMemo() *nextMemo {
	return &nextMemo{collectors: map[int64]int64{}, cands: map[queueDay][]sqlstore.CaseRef{}}
}

func (m *nextMemo) collector(userID int64) (int64, bool) {
	if m == nil {
		return 0, false
	}
	c, ok := m.collectors[userID]
	return c, ok
}

// takeCandidates returns the first page of owner's candidates on today if
// the batch read it and no press took it yet.
func (m *nextMemo) takeCandidates(owner casework.Owner, today date.Date, offset int) ([]sqlstore.CaseRef, bool) {
	if m == nil || offset != 0 {
		return nil, false
	}
	k := queueDay{owner, today}
	list, ok := m.cands[k]
	if ok {
		delete(m.cands, k)
	}
	return list, ok
}

// takeFacts returns borrower id's facts for a check at at, if the batch
// read them (for an instant not after at) and no press took them yet.
func (m *nextMemo) takeFacts(r govRules, id int64, at time.Time) (borrowerFacts, bool) {
	if m == nil || m.at.After(at) {
		return borrowerFacts{}, false
	}
	g, ok := m.facts[id]
	if !ok {
		return borrowerFacts{}, false
	}
	delete(m.facts, id)
	return r.facts(g, at.Add(-historyWindow)), true
}

// planNextCase notes in m what by's press will read: its queue owner, the
// first page of its candidates and the borrower of the first one not
// passed over. Errors other than a database failure are left for the
// press to meet.
func (s *Service) planNextCase(ctx context.Context, tx *sqlstore.Tx, m *nextMemo, by Actor) error {
	owner, err := s.queueOwner(ctx, tx, m, by)
	if err != nil && errs.CodeOf(err) != errs.Internal {
		return nil
	}
	if err != nil {
		return err
	}
	k := queueDay{owner, s.Today()}
	if _, ok := m.cands[k]; ok {
		return nil // another press of the batch draws from this queue; this one reads its own
	}
	list, err := tx.NextCaseCandidates(ctx, owner, k.today, nextCasePage, 0)
	if err != nil {
		return err
	}
	m.cands[k] = list
	now := s.now()
	if m.at.IsZero() {
		m.at = now.UTC() // the first press's instant: no later press checks at an earlier one
	}
	for _, c := range list {
		if !s.uncallable.peek(refusal{c.ID, by.User.ID}, now) {
			m.want = append(m.want, c.BorrowerID)
			break
		}
	}
	return nil
}

// loadFacts reads the governor's facts of the borrowers the batch's
// presses will ask about.
func (m *nextMemo) loadFacts(ctx context.Context, tx *sqlstore.Tx) error {
	if len(m.want) == 0 {
		return nil
	}
	var err error
	m.facts, err = tx.GovernorFactsOf(ctx, m.want, m.at.Add(-historyWindow))
	return err
}

// nextContactable claims and returns the first of owner's cases left for
// today whose borrower the governor allows calling now (see
// callableNow); cases it passes over stay in the queue for later. A case
// refused a moment ago is passed over without asking again (uncallable):
// every case handed out was asked about in this transaction.
func (s *Service) nextContactable(ctx context.Context, tx *sqlstore.Tx, m *nextMemo, by Actor, cands func(offset int) ([]sqlstore.CaseRef, error),
	claim func(id int64) (bool, error)) (int64, error) {
	var r *govRules
	now, seen := s.now(), 0
	for offset := 0; seen < nextCaseChecks; {
		list, err := cands(offset)
		if err != nil {
			return 0, err
		}
		if len(list) == 0 {
			break
		}
		offset += len(list)
		for _, c := range list {
			seen++
			if s.uncallable.refused(refusal{c.ID, by.User.ID}, now) {
				continue
			}
			if r == nil {
				if r, err = s.batchRules(ctx, tx, m); err != nil {
					return 0, err
				}
			}
			ok, next, err := s.callableNow(ctx, tx, m, *r, by, c, now)
			if err != nil {
				return 0, err
			}
			if !ok {
				s.uncallable.refuse(refusal{c.ID, by.User.ID}, now, next)
				continue
			}
			if claimed, err := claim(c.ID); err != nil || claimed {
				return c.ID, err
			}
		}
	}
	if seen == 0 {
		return 0, errs.Errorf(errs.NotFound, "No more cases to work today.")
	}
	return 0, ErrNoContactableCase
}

// batchRules returns the contact rules in tx, read once for the batch m.
func (s *Service) batchRules(ctx context.Context, tx *sqlstore.Tx, m *nextMemo) (*govRules, error) {
	if m != nil && m.rules != nil {
		return m.rules, nil
	}
	r, err := s.contactRules(ctx, tx)
	if err != nil {
		return nil, err
	}
	if m != nil {
		m.rules = &r
	}
	return &r, nil
}

// callableNow asks the governor whether by may call case c's borrower on
// their first number at now, with the approvals already given: a cease or
// dispute flag, a vulnerable borrower routed elsewhere, the hours of their
// local time and the daily limits all come from the same decision the
// contact log applies. A borrower without a number cannot be called. When
// the call is refused only for the time, next is when it would first be
// allowed.
func (s *Service) callableNow(ctx context.Context, tx *sqlstore.Tx, m *nextMemo, r govRules, by Actor, c sqlstore.CaseRef, now time.Time) (ok bool, next time.Time, err error) {
	req := ContactRequest{BorrowerID: c.BorrowerID, CaseID: c.ID, Channel: compliance.Call, To: "phone:1"}
	if err := req.normalize(now); err != nil {
		return false, next, err
	}
	f, ok := m.takeFacts(r, c.BorrowerID, req.StartedAt)
	if !ok {
		if f, err = s.loadFacts(ctx, tx, r, c.BorrowerID, req.StartedAt); err != nil {
			return false, next, err
		}
	}
	rc, err := req.resolve(&f)
	if errs.CodeOf(err) == errs.Invalid || errs.CodeOf(err) == errs.NotFound {
		return false, next, nil
	}
	if err != nil {
		return false, next, err
	}
	res, err := s.decideContact(ctx, tx, r, &f, by, &req, rc)
	return err == nil && res.Decision.Allowed(), res.NextAllowed, err
}

// recheckRefused is how long "Get next case" passes over a case whose
// borrower the governor refused, before asking again (sooner when the
// refusal said when a call becomes allowed). A refusal can only lift by a
// change elsewhere — a flag removed, an approval given, another process's
// policy edit — so such a case comes back within this time; nothing can
// make a case handed out without the governor's yes.
const recheckRefused = 5 * time.Minute

// refusal names a case refused to a user: the governor's decision can
// depend on who calls (their role, approvals given to it).
type refusal struct{ caseID, userID int64 }

// uncallable remembers, per case and user, until when "Get next case" passes over
// it: without it, a queue whose callable cases are used up makes every
// press ask the governor about the same refused cases again, up to
// nextCaseChecks of them, inside the claiming write transaction that all
// collectors share (issue 11: p99 82 ms). The zero value is ready.
type uncallable struct {
	mu    sync.Mutex
	until map[refusal]time.Time // passed over before this instant
}

// refused reports whether id was refused and is still passed over at now.
func (u *uncallable) refused(id refusal, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	t, ok := u.until[id]
	if ok && !now.Before(t) {
		delete(u.until, id)
		return false
	}
	return ok
}

// peek reports whether id is passed over at now, changing nothing.
func (u *uncallable) peek(id refusal, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	t, ok := u.until[id]
	return ok && now.Before(t)
}

// refuse passes over id from now until next (when the governor
// named the time a call becomes allowed) or recheckRefused, whichever
// comes first.
func (u *uncallable) refuse(id refusal, now, next time.Time) {
	until := now.Add(recheckRefused)
	if !next.IsZero() && next.Before(until) {
		until = next
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.until == nil {
		u.until = map[refusal]time.Time{}
	}
	if len(u.until) >= maxUncallable {
		for k, t := range u.until {
			if !now.Before(t) {
				delete(u.until, k)
			}
		}
		if len(u.until) >= maxUncallable {
			return // remembering is only a shortcut
		}
	}
	u.until[id] = until
}

// maxUncallable bounds how many refused cases are remembered.
const maxUncallable = 200_000
