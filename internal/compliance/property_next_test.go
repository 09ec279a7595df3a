package compliance

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// More properties of the governor, beside property_test.go: history and
// flags added together never relax a decision; the order of the history
// and of the flags changes nothing in the decision (its rules, roles,
// route and the evidence each rule counted); and the same holds for
// NextAllowed — when a refused contact may first go ahead never comes
// sooner with more history or more flags, nor moves when the history is
// reordered.

// addHistory appends 1–4 random past contacts; to a third party when the
// proposal is (see the lost-contact exception in property_test.go).
func addHistory(r *rand.Rand, in Input) Input {
	more := clone(in)
	for range 1 + r.IntN(4) {
		a := randomAttempt(r, in.Proposed.At, len(more.History))
		if in.Proposed.Party != ToBorrower {
			a.Party, a.Contact, a.To = ToContact, "c1", mother
		}
		more.History = append(more.History, a)
	}
	return more
}

// addFlags adds 1–3 restrictive flags the borrower does not have yet
// (lost_contact only for proposals to the borrower).
func addFlags(r *rand.Rand, in Input) Input {
	more := clone(in)
	for range 1 + r.IntN(3) {
		f := restrictiveFlags[r.IntN(len(restrictiveFlags))]
		if f == FlagLostContact && in.Proposed.Party != ToBorrower {
			continue
		}
		if !slices.Contains(more.Borrower.Flags, f) {
			more.Borrower.Flags = append(more.Borrower.Flags, f)
		}
	}
	return more
}

func TestPropertyMoreHistoryAndFlagsTogetherNeverRelax(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 4))
	tightened := 0
	for i := range propRuns {
		in := burstInput(r, i)
		more := addFlags(r, addHistory(r, in))
		before, after := gov.Check(in), gov.Check(more)
		if after.Action.rank() < before.Action.rank() {
			t.Fatalf("case %d: adding history and flags relaxed %s (%v) to %s (%v)\ninput: %+v\nmore: %+v",
				i, before.Action, before.Rules, after.Action, after.Rules, in, more)
		}
		if after.Action.rank() > before.Action.rank() {
			tightened++
		}
	}
	if tightened == 0 {
		t.Errorf("nothing added ever tightened a decision: the generator does not exercise the rules")
	}
}

// burstInput is randomInput with, for every other case, a burst of calls
// to the borrower's numbers in the hours before the proposal, so that the
// daily call caps fire and list the entries they counted.
func burstInput(r *rand.Rand, i int) Input {
	in := randomInput(r)
	if i%2 == 0 {
		return in
	}
	for n := range 2 + r.IntN(8) {
		a := randomAttempt(r, in.Proposed.At, len(in.History)+n)
		a.At = in.Proposed.At.Add(-time.Duration(1+r.IntN(6*60)) * time.Minute)
		a.Channel, a.Party, a.Contact, a.To, a.Inbound = Call, ToBorrower, "", []string{bPhone1, bPhone1, bPhone2}[r.IntN(3)], false
		in.History = append(in.History, a)
	}
	return in
}

// TestPropertyOrderChangesNothingInTheDecision shuffles the history and the
// flags and compares the whole decision, not only its action and rules.
func TestPropertyOrderChangesNothingInTheDecision(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 5))
	withEvidence := 0
	for i := range propRuns {
		in := burstInput(r, i)
		shuffled := clone(in)
		r.Shuffle(len(shuffled.History), func(a, b int) {
			shuffled.History[a], shuffled.History[b] = shuffled.History[b], shuffled.History[a]
		})
		r.Shuffle(len(shuffled.Borrower.Flags), func(a, b int) {
			shuffled.Borrower.Flags[a], shuffled.Borrower.Flags[b] = shuffled.Borrower.Flags[b], shuffled.Borrower.Flags[a]
		})
		before, after := canonical(gov.Check(in)), canonical(gov.Check(shuffled))
		if diff := decisionDiff(before, after); diff != "" {
			t.Fatalf("case %d: reordering the history and flags changed the decision: %s\ninput: %+v", i, diff, in)
		}
		for _, d := range before.Details {
			if len(d.Evidence) > 1 {
				withEvidence++
				break
			}
		}
	}
	if withEvidence == 0 {
		t.Errorf("no decision counted more than one history entry: the order was never put to the test")
	}
}

// canonical sorts what a decision lists as a set (evidence ids, roles).
func canonical(d Decision) Decision {
	d.RequiredRoles = slices.Clone(d.RequiredRoles)
	slices.Sort(d.RequiredRoles)
	d.Details = slices.Clone(d.Details)
	for i := range d.Details {
		d.Details[i].Evidence = sorted(d.Details[i].Evidence)
	}
	return d
}

func decisionDiff(a, b Decision) string {
	switch {
	case a.Action != b.Action:
		return "action " + string(a.Action) + " → " + string(b.Action)
	case !slices.Equal(a.Rules, b.Rules):
		return "rules differ"
	case a.Reasons != b.Reasons:
		return "reasons differ"
	case !slices.Equal(a.RequiredRoles, b.RequiredRoles):
		return "required roles differ"
	case a.Route != b.Route || a.DayKind != b.DayKind:
		return "route or day kind differ"
	case len(a.Details) != len(b.Details):
		return "details differ in number"
	}
	for i := range a.Details {
		x, y := a.Details[i], b.Details[i]
		if x.Rule != y.Rule || x.Severity != y.Severity || x.Count != y.Count || x.Limit != y.Limit ||
			x.WindowStart != y.WindowStart || x.WindowEnd != y.WindowEnd || !slices.Equal(x.Evidence, y.Evidence) {
			return "detail of " + x.Rule + " differs"
		}
	}
	return ""
}

// nextLimit is how far ahead NextAllowed looks in these properties.
const nextLimit = 10 * 24 * time.Hour

// TestPropertyNextAllowedNeverSooner: a contact refused now never becomes
// allowed sooner because more history or more flags are known.
func TestPropertyNextAllowedNeverSooner(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 6))
	waited, later := 0, 0
	for i := range propRuns / 2 {
		in := burstInput(r, i)
		limit := in.Proposed.At.Add(nextLimit)
		at, _, ok := gov.NextAllowed(in, limit)
		for _, more := range []Input{addHistory(r, in), addFlags(r, in)} {
			at2, _, ok2 := gov.NextAllowed(more, limit)
			switch {
			case ok2 && !ok:
				t.Fatalf("case %d: never allowed before %v, allowed at %v once more is known\ninput: %+v\nmore: %+v",
					i, limit, at2, in, more)
			case ok2 && at2.Before(at):
				t.Fatalf("case %d: allowed at %v, at %v (sooner) once more is known\ninput: %+v\nmore: %+v", i, at, at2, in, more)
			case ok && (!ok2 || at2.After(at)):
				later++
			}
		}
		if ok && at.After(in.Proposed.At) {
			waited++
		}
	}
	if waited == 0 || later == 0 {
		t.Errorf("waited %d times, later %d times: the generator does not exercise NextAllowed", waited, later)
	}
}

func TestPropertyNextAllowedIgnoresHistoryOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(24, 7))
	for i := range propRuns / 2 {
		in := burstInput(r, i)
		limit := in.Proposed.At.Add(nextLimit)
		shuffled := clone(in)
		r.Shuffle(len(shuffled.History), func(a, b int) {
			shuffled.History[a], shuffled.History[b] = shuffled.History[b], shuffled.History[a]
		})
		at, d, ok := gov.NextAllowed(in, limit)
		at2, d2, ok2 := gov.NextAllowed(shuffled, limit)
		if ok != ok2 || !at.Equal(at2) || d.Action != d2.Action || !slices.Equal(d.Rules, d2.Rules) {
			t.Fatalf("case %d: NextAllowed = %v %v %s %v, shuffled %v %v %s %v\ninput: %+v",
				i, at, ok, d.Action, d.Rules, at2, ok2, d2.Action, d2.Rules, in)
		}
	}
}
