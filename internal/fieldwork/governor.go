package fieldwork

import (
	"errors"
	"strings"
	"sync"
	"time"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/calendar"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// lexicon is the governor's built-in lexicon, parsed once per process.
var lexicon = sync.OnceValue(compliance.DefaultLexicon)

// RefusedError is the contact governor's refusal of a visit (CN-VISIT,
// holidays, the borrower's flags …), with its decision. It is Forbidden;
// its message carries the governor's reasons.
type RefusedError struct {
	Decision compliance.Decision
	err      *errs.Error
}

func (e *RefusedError) Error() string { return e.err.Error() }
func (e *RefusedError) Unwrap() error { return e.err }

func refused(d compliance.Decision) *RefusedError {
	return &RefusedError{Decision: d, err: errs.Errorf(errs.Forbidden, "The contact governor refused the visit: %s", d.Reasons.EN)}
}

// AsRefused returns the governor's refusal in err's chain, if any.
func AsRefused(err error) (*RefusedError, bool) {
	var r *RefusedError
	ok := errors.As(err, &r)
	return r, ok
}

// passes reports whether decision d lets an approved visit go ahead: it is
// allowed, or the only approval it asks for is the supervisor's approval
// of the visit itself (CN-VISIT), which the visit has.
func passes(d compliance.Decision, approved bool) bool {
	if d.Allowed() {
		return true
	}
	if d.Action != compliance.Approval || !approved {
		return false
	}
	for _, dt := range d.Details {
		if dt.Severity == compliance.Block || dt.Severity == compliance.Approval && dt.Rule != compliance.RuleCNVisit {
			return false
		}
	}
	return true
}

// visitInput is what the governor is asked about a visit of v by the pair
// (collectors, device) starting at: the borrower's flags and zone, the
// notice, and the supervisor's approval when the visit has one. Contact
// history is not included: frequency rules are asked again at check-in
// with the full history (collect.CheckContact).
func visitInput(v sqlstore.Visit, b borrower.Borrower, collectors []string, device string, at time.Time, p visit.Policy) compliance.Input {
	in := compliance.Input{Jurisdiction: compliance.CN, Policy: p.Compliance,
		Borrower: compliance.Borrower{ID: "b" + strings.TrimSpace(b.ExternalID), TimeZones: []string{v.TimeZone}, Flags: b.Flags},
		Proposed: compliance.Proposed{At: at, Channel: compliance.Visit, Party: compliance.ToBorrower, By: "lender",
			Purpose: compliance.PurposeCollection, Collectors: collectors, RecordingDevice: device,
			NoticeSentAt: v.NoticeSentAt, VisitPurpose: v.Purpose}}
	if v.DecidedBy != "" {
		in.Proposed.ApprovedRoles = []string{string(auth.Supervisor)}
	}
	return in
}

// checkVisit asks the governor about v at at, by the pair's agents with its
// recording device; nil or the *RefusedError. A borrower without a zone is
// taken in the lender's business zone.
func (s *Service) checkVisit(cal *calendar.Calendar, v sqlstore.Visit, b borrower.Borrower, pr sqlstore.FieldPair, at time.Time, p visit.Policy) error {
	v.TimeZone = s.location(v).String()
	d := compliance.New(cal, lexicon()).Check(visitInput(v, b, []string{pr.Agent1, pr.Agent2}, pr.RecordingDevice, at, p))
	if passes(d, v.DecidedBy != "") {
		return nil
	}
	return refused(d)
}
