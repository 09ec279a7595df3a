package visit

import "accord/internal/errs"

// State is where a visit is in its life.
type State string

// The states.
const (
	Requested State = "requested"  // asked for by a collector or recommended by the strategy
	Approved  State = "approved"   // a supervisor approved it
	Rejected  State = "rejected"   // a supervisor rejected it (final)
	Noticed   State = "noticed"    // the borrower was told of the visit in advance
	Planned   State = "planned"    // on a pair's route for a day
	CheckedIn State = "checked_in" // the pair is at the address
	Done      State = "done"       // finished, with an outcome (final)
	Cancelled State = "cancelled"  // called off (final)
)

// States lists every state in the order of a visit's life.
var States = []State{Requested, Approved, Rejected, Noticed, Planned, CheckedIn, Done, Cancelled}

// Errors of To.
var (
	ErrTransition  = errs.Errorf(errs.Conflict, "The visit cannot move to that state from where it is.")
	ErrNoticeFirst = errs.Errorf(errs.Conflict, "The borrower must be told of the visit before it is planned.")
)

// Final reports whether s is an end state.
func (s State) Final() bool { return s == Rejected || s == Done || s == Cancelled }

// next lists the states each state may move to. Approved may go straight
// to planned only when advance notice is off (see To).
var next = map[State][]State{
	Requested: {Approved, Rejected, Cancelled},
	Approved:  {Noticed, Planned, Cancelled},
	Noticed:   {Planned, Approved, Cancelled},   // back to approved: the noticed day passed unplanned (Lapse)
	Planned:   {CheckedIn, Approved, Cancelled}, // back to approved: taken off the route
	CheckedIn: {Done, Cancelled},
}

// To checks that a visit in state s may move to state t. noticeRequired
// is whether the policy requires advance notice (Policy.NoticeRequired):
// then an approved visit must be noticed before it is planned. It returns
// ErrNoticeFirst or ErrTransition (both Conflict) otherwise.
func (s State) To(t State, noticeRequired bool) error {
	if s == Approved && t == Planned && noticeRequired {
		return ErrNoticeFirst
	}
	for _, ok := range next[s] {
		if ok == t {
			return nil
		}
	}
	return ErrTransition
}
