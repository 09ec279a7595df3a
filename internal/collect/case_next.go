package collect

import (
	"context"
	"sync"
	"time"

	"accord/internal/compliance"
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

// nextContactable claims and returns the first of owner's cases left for
// today whose borrower the governor allows calling now (see
// callableNow); cases it passes over stay in the queue for later. A case
// refused a moment ago is passed over without asking again (uncallable):
// every case handed out was asked about in this transaction.
func (s *Service) nextContactable(ctx context.Context, tx *sqlstore.Tx, by Actor, cands func(offset int) ([]sqlstore.CaseRef, error),
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
				rules, err := s.contactRules(ctx, tx)
				if err != nil {
					return 0, err
				}
				r = &rules
			}
			ok, next, err := s.callableNow(ctx, tx, *r, by, c, now)
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

// callableNow asks the governor whether by may call case c's borrower on
// their first number at now, with the approvals already given: a cease or
// dispute flag, a vulnerable borrower routed elsewhere, the hours of their
// local time and the daily limits all come from the same decision the
// contact log applies. A borrower without a number cannot be called. When
// the call is refused only for the time, next is when it would first be
// allowed.
func (s *Service) callableNow(ctx context.Context, tx *sqlstore.Tx, r govRules, by Actor, c sqlstore.CaseRef, now time.Time) (ok bool, next time.Time, err error) {
	req := ContactRequest{BorrowerID: c.BorrowerID, CaseID: c.ID, Channel: compliance.Call, To: "phone:1"}
	if err := req.normalize(now); err != nil {
		return false, next, err
	}
	f, err := s.loadFacts(ctx, tx, r, c.BorrowerID, req.StartedAt)
	if err != nil {
		return false, next, err
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
