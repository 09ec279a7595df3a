package collect

import (
	"context"
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
// callableNow); cases it passes over stay in the queue for later.
func (s *Service) nextContactable(ctx context.Context, tx *sqlstore.Tx, by Actor, cands func(offset int) ([]sqlstore.CaseRef, error),
	claim func(id int64) (bool, error)) (int64, error) {
	r, err := s.contactRules(ctx, tx)
	if err != nil {
		return 0, err
	}
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
			ok, err := s.callableNow(ctx, tx, r, by, c, now)
			if err != nil {
				return 0, err
			}
			if !ok {
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
// contact log applies. A borrower without a number cannot be called.
func (s *Service) callableNow(ctx context.Context, tx *sqlstore.Tx, r govRules, by Actor, c sqlstore.CaseRef, now time.Time) (bool, error) {
	req := ContactRequest{BorrowerID: c.BorrowerID, CaseID: c.ID, Channel: compliance.Call, To: "phone:1"}
	if err := req.normalize(now); err != nil {
		return false, err
	}
	f, err := s.loadFacts(ctx, tx, r, c.BorrowerID, req.StartedAt)
	if err != nil {
		return false, err
	}
	rc, err := req.resolve(&f)
	if errs.CodeOf(err) == errs.Invalid || errs.CodeOf(err) == errs.NotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	res, err := s.decideContact(ctx, tx, r, &f, by, &req, rc)
	return err == nil && res.Decision.Allowed(), err
}
