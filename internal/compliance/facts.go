package compliance

import "slices"

// flagSet holds the borrower flags the rules read, as bits.
type flagSet uint32

const (
	fLostContact flagSet = 1 << iota
	fDisputed
	fDisputeWritten
	fVerificationSent
	fDisputeResolved
	fCease
	fAttorney
	fAttorneyConsented
	fCapacity
	fOutsourcingNotified
	fVulnerable
)

// borrowerFlags maps each known borrower flag to its bit. Every cause of
// vulnerability sets the same bit.
var borrowerFlags = map[string]flagSet{
	FlagLostContact:         fLostContact,
	FlagDisputed:            fDisputed,
	FlagDisputeWritten:      fDisputeWritten | fDisputed,
	FlagVerificationSent:    fVerificationSent,
	FlagDisputeResolved:     fDisputeResolved,
	FlagCease:               fCease,
	FlagAttorneyRepresented: fAttorney,
	FlagAttorneyConsented:   fAttorneyConsented,
	FlagCapacityConcern:     fCapacity,
	FlagOutsourcingNotified: fOutsourcingNotified,
	FlagVulnerable:          fVulnerable,
	FlagSeriousIllness:      fVulnerable,
	FlagBereavement:         fVulnerable,
	FlagMentalHealth:        fVulnerable,
	FlagDisability:          fVulnerable,
	FlagOldAge:              fVulnerable,
	FlagJobLoss:             fVulnerable,
}

func flagsOf(flags []string) flagSet {
	var s flagSet
	for _, f := range flags {
		s |= borrowerFlags[f]
	}
	return s
}

func (s flagSet) has(b flagSet) bool { return s&b != 0 }

var (
	channels = []Channel{Call, SMS, Email, Letter, Visit, IM, Bot, Group, PublicPost, Placement}
	parties  = []Party{ToBorrower, ToContact, ToThirdParty, ToEmployer, ToAttorney, ToRepresentative, ToPublic}
	outcomes = []Outcome{Connected, NoAnswer, Busy, InvalidNumber, Voicemail, LimitedContentMessage, Refused, Sent, Delivered, Failed}
	purposes = []string{PurposeCollection, PurposeReminder, PurposeLocate, PurposeMessage, PurposeVerification,
		PurposeDisputeResponse, PurposeCeaseConfirmation, PurposeRemedyNotice, PurposeOptOutConfirmation}
	textSources = []string{"message", "template", "note", "transcript"}
)

func knownChannel(c Channel) bool { return slices.Contains(channels, c) }
func knownParty(p Party) bool     { return slices.Contains(parties, p) }

// timed reports whether a channel reaches the person at the moment it is
// used, so that the hour matters. A letter arrives when the post brings it.
func timed(c Channel) bool { return c != Letter && c != Placement }

// public reports whether a channel can be seen by people other than the
// addressee.
func public(c Channel) bool { return c == Group || c == PublicPost }

// samePhone compares two phone numbers ignoring spaces, dashes, dots and
// brackets.
func samePhone(a, b string) bool {
	i, j := 0, 0
	for {
		for i < len(a) && phoneNoise(a[i]) {
			i++
		}
		for j < len(b) && phoneNoise(b[j]) {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] {
			return false
		}
		i++
		j++
	}
}

func phoneNoise(c byte) bool { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' }

// coversDebt reports whether an attempt about debts concerns debt d. An
// attempt with no debts recorded is taken to concern every debt.
func coversDebt(debts []string, d string) bool {
	return len(debts) == 0 || d == "" || slices.Contains(debts, d)
}

// consumerRelations are the people US law treats as the consumer
// (12 CFR 1006.6(a)): a spouse, the parent of a minor, a guardian, an
// executor or administrator, a confirmed successor in interest.
var consumerRelations = []string{"spouse", "husband", "wife", "parent_of_minor", "guardian", "executor", "administrator", "successor_in_interest"}

// recipientContact finds the registered contact the proposal is addressed
// to, by id or by phone.
func (f *facts) recipientContact() *Contact {
	p := f.p
	for i := range f.in.Contacts {
		c := &f.in.Contacts[i]
		if (p.Contact != "" && c.ID == p.Contact) || (p.Contact == "" && p.To != "" && c.Phone != "" && samePhone(c.Phone, p.To)) {
			return c
		}
	}
	return nil
}

// samePerson reports whether past attempt a reached the person the
// proposal is for (X1): the borrower on any of their numbers, or the same
// third party by contact id or number.
func (f *facts) samePerson(a *Attempt) bool {
	if f.p.Party == ToBorrower {
		return a.toBorrower()
	}
	if a.toBorrower() {
		return false
	}
	if f.contact != nil && a.Contact != "" {
		return a.Contact == f.contact.ID
	}
	if a.To != "" && f.p.To != "" && samePhone(a.To, f.p.To) {
		return true
	}
	return f.contact != nil && f.contact.Phone != "" && a.To != "" && samePhone(a.To, f.contact.Phone)
}

func hasFlag(flags []string, flag string) bool { return slices.Contains(flags, flag) }
