package compliance

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The governor's decision must be monotone in what it knows against the
// contact: more contact history or more restrictive borrower flags can only
// keep or tighten a decision (allow < warn < approval < block), and the
// order the history arrives in does not matter. These properties run over
// thousands of random inputs from fixed seeds, in every profile.

// One designed exception: evidence that the borrower is in lost contact
// (失联: the lost_contact flag, or enough failed calls to the borrower)
// is what permits contacting a registered contact to locate them (CN R05),
// so for proposals to a third party the added history is contact with
// third parties only and the added flags leave lost_contact out.

// restrictiveFlags are the flags that add a restriction. The others
// (attorney_consented, verification_sent, dispute_resolved,
// outsourcing_notified) record that a restriction was lifted or a duty met,
// so adding them is meant to relax.
var restrictiveFlags = []string{FlagLostContact, FlagDisputed, FlagDisputeWritten, FlagCease, FlagAttorneyRepresented,
	FlagCapacityConcern, FlagVulnerable, FlagSeriousIllness, FlagBereavement, FlagMentalHealth, FlagDisability,
	FlagOldAge, FlagJobLoss}

var propChannels = []Channel{Call, Call, Call, SMS, SMS, Email, IM, Letter}

var propOutcomes = []Outcome{Connected, NoAnswer, Busy, Voicemail, Refused, Sent, Delivered, Failed, InvalidNumber}

var propZones = map[Jurisdiction]string{CN: "Asia/Shanghai", US: "America/New_York", UK: "Europe/London"}

// randomInput is a proposal to contact the borrower or a registered
// contact at a random time of a random day, with a random history over the
// fortnight before and random flags.
func randomInput(r *rand.Rand) Input {
	j := []Jurisdiction{CN, CN, US, UK}[r.IntN(4)]
	base := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(60*24)) * time.Hour)
	in := newInput(j, propZones[j], base.Format(time.RFC3339))
	in.Proposed.At = base.Add(time.Duration(r.IntN(60)) * time.Minute)
	in.Proposed.Channel = propChannels[r.IntN(len(propChannels))]
	switch in.Proposed.Channel {
	case Email:
		in.Proposed.To = "pat@example.com"
	case Letter:
		in.Proposed.To = "home"
	default:
		in.Proposed.To = []string{bPhone1, bPhone2}[r.IntN(2)]
	}
	if r.IntN(5) == 0 && in.Proposed.Channel == Call {
		in.Proposed.Party, in.Proposed.Contact, in.Proposed.To = ToContact, "c1", mother
		in.Proposed.Purpose = PurposeLocate
	}
	in.Proposed.Automated = r.IntN(4) == 0
	for range r.IntN(12) {
		in.History = append(in.History, randomAttempt(r, in.Proposed.At, len(in.History)))
	}
	for _, f := range restrictiveFlags {
		if r.IntN(10) == 0 {
			in.Borrower.Flags = append(in.Borrower.Flags, f)
		}
	}
	return in
}

// randomAttempt is a past contact within the 14 days before at.
func randomAttempt(r *rand.Rand, at time.Time, n int) Attempt {
	a := Attempt{ID: "h" + string(rune('a'+n%26)) + time.Duration(n).String(),
		At:      at.Add(-time.Duration(1+r.IntN(14*24*60)) * time.Minute),
		Channel: propChannels[r.IntN(len(propChannels))], To: []string{bPhone1, bPhone2}[r.IntN(2)],
		Party: ToBorrower, By: "lender", Outcome: propOutcomes[r.IntN(len(propOutcomes))], Debts: []string{"L1"},
		Inbound: r.IntN(8) == 0, Automated: r.IntN(4) == 0}
	if r.IntN(6) == 0 {
		a.Party, a.Contact, a.To = ToContact, "c1", mother
	}
	return a
}

func clone(in Input) Input {
	in.History = slices.Clone(in.History)
	in.Borrower.Flags = slices.Clone(in.Borrower.Flags)
	return in
}

const propRuns = 3000

func TestPropertyMoreHistoryNeverRelaxes(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 1))
	tightened := 0
	for i := range propRuns {
		in := randomInput(r)
		before := gov.Check(in)
		more := clone(in)
		for range 1 + r.IntN(4) {
			a := randomAttempt(r, in.Proposed.At, len(more.History))
			if in.Proposed.Party != ToBorrower {
				a.Party, a.Contact, a.To = ToContact, "c1", mother
			}
			more.History = append(more.History, a)
		}
		after := gov.Check(more)
		if after.Action.rank() < before.Action.rank() {
			t.Fatalf("case %d: adding history relaxed %s (%v) to %s (%v)\ninput: %+v\nadded: %+v", i, before.Action, before.Rules,
				after.Action, after.Rules, in, more.History[len(in.History):])
		}
		if after.Action.rank() > before.Action.rank() {
			tightened++
		}
	}
	if tightened == 0 {
		t.Errorf("no added history ever tightened a decision: the generator does not exercise the history rules")
	}
}

func TestPropertyMoreFlagsNeverRelax(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2))
	tightened := 0
	for i := range propRuns {
		in := randomInput(r)
		before := gov.Check(in)
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
		after := gov.Check(more)
		if after.Action.rank() < before.Action.rank() {
			t.Fatalf("case %d: adding flags %v to %v relaxed %s (%v) to %s (%v)\ninput: %+v", i, more.Borrower.Flags[len(in.Borrower.Flags):],
				in.Borrower.Flags, before.Action, before.Rules, after.Action, after.Rules, in)
		}
		if after.Action.rank() > before.Action.rank() {
			tightened++
		}
	}
	if tightened == 0 {
		t.Errorf("no added flag ever tightened a decision: the generator does not exercise the flag rules")
	}
}

func TestPropertyHistoryOrderDoesNotMatter(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 3))
	for i := range propRuns {
		in := randomInput(r)
		before := gov.Check(in)
		shuffled := clone(in)
		r.Shuffle(len(shuffled.History), func(a, b int) {
			shuffled.History[a], shuffled.History[b] = shuffled.History[b], shuffled.History[a]
		})
		after := gov.Check(shuffled)
		if after.Action != before.Action || !slices.Equal(sorted(after.Rules), sorted(before.Rules)) {
			t.Fatalf("case %d: shuffling the history changed %s %v to %s %v\ninput: %+v", i, before.Action, before.Rules,
				after.Action, after.Rules, in)
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
