package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"accord/internal/auth"
	"accord/internal/calendar"
	"accord/internal/date"
)

// Governor decides whether a proposed contact may go ahead. Every path that
// contacts a borrower (the nightly run, the console, the API, the CLI, the
// sender at send time) calls the same Check. A Governor holds only
// read-only data and a time-zone cache, so one value serves every request
// concurrently.
type Governor struct {
	cal   *calendar.Calendar
	lex   *Lexicon
	zones *Zones
}

// New returns a Governor that reads holidays from cal and screens text with
// lex; nil means calendar.Default() and DefaultLexicon().
func New(cal *calendar.Calendar, lex *Lexicon) *Governor {
	if cal == nil {
		cal = calendar.Default()
	}
	if lex == nil {
		lex = DefaultLexicon()
	}
	return &Governor{cal: cal, lex: lex, zones: &Zones{}}
}

// Lexicon returns the lexicon the governor screens text with, for the
// console's template checker.
func (g *Governor) Lexicon() *Lexicon { return g.lex }

// maxZones bounds the candidate time zones of one borrower.
const maxZones = 8

// local is the proposed contact seen from one candidate time zone. Bounds
// are UnixNano instants of local midnights.
type local struct {
	name      string
	loc       *time.Location
	t         time.Time // the proposed time in this zone
	clock     Clock
	day       date.Date
	dayStart  int64 // 00:00 of day
	dayEnd    int64 // 00:00 of the next day
	weekStart int64 // 00:00 six days before day: the first day of a 7-day window ending today
}

// facts is one decision in progress.
type facts struct {
	in        *Input
	p         *Proposed
	j         Jurisdiction
	lim       limits
	at        int64 // p.At in UnixNano
	zoneBuf   [maxZones]local
	zones     []local
	flags     flagSet
	automated bool
	contact   *Contact // the recipient when it is a known contact
	screened  bool
	screen    Screening
	dayKind   calendar.DayKind
	details   []Detail
}

// Check decides on in.Proposed. It never fails: anything it cannot
// establish (time zone, identity, consent) makes the decision block with
// FAIL-CLOSED (X4).
func (g *Governor) Check(in Input) Decision {
	f := facts{in: &in, p: &in.Proposed, j: in.Jurisdiction.orDefault()}
	if failed := g.prepare(&f); len(failed) > 0 {
		return decide([]Detail{failClosed(failed)}, "")
	}
	switch f.j {
	case CN:
		g.checkCN(&f)
	case US:
		g.checkUS(&f)
	case UK:
		g.checkUK(&f)
	}
	return decide(f.details, f.dayKind)
}

// prepare resolves the facts every rule needs and returns the reasons to
// fail closed, if any (X4: unknown time zone, identity or consent blocks).
func (g *Governor) prepare(f *facts) []string {
	in, p := f.in, f.p
	var failed []string
	if _, ok := profiles[f.j]; !ok {
		failed = append(failed, "jurisdiction_unknown:"+string(f.j))
	}
	if in.Borrower.ID == "" {
		failed = append(failed, "borrower_id_missing")
	}
	if p.At.IsZero() {
		failed = append(failed, "proposed_at_missing")
	}
	if !knownChannel(p.Channel) {
		failed = append(failed, "channel_unknown:"+string(p.Channel))
	}
	if p.Channel != Placement && !knownParty(p.Party) {
		failed = append(failed, "party_unknown:"+string(p.Party))
	}
	if p.By == "" {
		failed = append(failed, "by_missing")
	}
	failed = append(failed, f.recipientProblems()...)
	failed = append(failed, consentProblems(in.Borrower.Consents)...)
	f.zones = f.zoneBuf[:0]
	switch n := len(in.Borrower.TimeZones); {
	case n == 0:
		failed = append(failed, "time_zone_missing")
	case n > maxZones:
		failed = append(failed, fmt.Sprintf("time_zone_too_many:%d", n))
	}
	for _, name := range in.Borrower.TimeZones {
		loc, ok := g.zones.Load(name)
		if !ok {
			failed = append(failed, "time_zone_unknown:"+name)
			continue
		}
		if len(f.zones) < maxZones && !p.At.IsZero() {
			f.zones = append(f.zones, newLocal(name, loc, p.At))
		}
	}
	if len(failed) > 0 {
		return failed
	}
	f.lim = in.Policy.effective(f.j)
	f.at = p.At.UnixNano()
	f.flags = flagsOf(in.Borrower.Flags)
	f.automated = p.Automated || p.By == "system" || p.Channel == Bot
	return nil
}

func newLocal(name string, loc *time.Location, at time.Time) local {
	t := at.In(loc)
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return local{
		name: name, loc: loc, t: t,
		clock:     Clock(h*3600 + mi*60 + s),
		day:       date.Of(y, m, d),
		dayStart:  time.Date(y, m, d, 0, 0, 0, 0, loc).UnixNano(),
		dayEnd:    time.Date(y, m, d+1, 0, 0, 0, 0, loc).UnixNano(),
		weekStart: time.Date(y, m, d-6, 0, 0, 0, 0, loc).UnixNano(),
	}
}

// clockAt returns the instant of clock c on l's local day.
func (l *local) clockAt(c Clock) time.Time {
	y, m, d := l.t.Date()
	return time.Date(y, m, d, int(c/3600), int(c/60%60), int(c%60), 0, l.loc)
}

// recipientProblems checks that the address of a contact with the borrower
// is one of theirs: calling an unknown number as "the borrower" is a contact
// with an unverified identity.
func (f *facts) recipientProblems() []string {
	p := f.p
	if p.Party != ToBorrower {
		return nil
	}
	switch p.Channel {
	case Call, SMS:
		if p.To == "" {
			return []string{"to_missing"}
		}
		if !slices.ContainsFunc(f.in.Borrower.Phones, func(s string) bool { return samePhone(s, p.To) }) {
			return []string{"to_not_borrower_phone"}
		}
	case Email:
		if p.To == "" {
			return []string{"to_missing"}
		}
		if !slices.Contains(f.in.Borrower.Emails, p.To) {
			return []string{"to_not_borrower_email"}
		}
	}
	return nil
}

// consentProblems returns why a consent cannot be read. Consent status that
// cannot be established fails closed (X4, R17).
func consentProblems(cs []Consent) []string {
	var failed []string
	for i, c := range cs {
		bad := func(what string) { failed = append(failed, fmt.Sprintf("consent_%d_%s", i, what)) }
		switch c.Kind {
		case ConsentContactWindow:
			if _, _, ok := parseWindow(c.Window); !ok {
				bad("window_invalid")
			}
		case ConsentUnansweredAttempts:
			if c.Limit <= 0 {
				bad("limit_missing")
			}
		case ConsentCallFrequency:
			if c.GivenAt.IsZero() {
				bad("given_at_missing")
			}
		default:
			bad("kind_unknown")
		}
		if c.Expires.IsZero() {
			bad("expires_missing")
		}
	}
	return failed
}

// activeConsent reports whether c is in force at the proposed time for the
// proposed channel.
func (f *facts) activeConsent(c *Consent) bool {
	at := f.p.At
	return (c.Channel == "" || c.Channel == f.p.Channel) &&
		(c.GivenAt.IsZero() || !at.Before(c.GivenAt)) && at.Before(c.Expires) &&
		(c.RevokedAt.IsZero() || at.Before(c.RevokedAt))
}

// parseWindow reads "HH:MM-HH:MM".
func parseWindow(s string) (from, until Clock, ok bool) {
	a, b, found := strings.Cut(s, "-")
	if !found {
		return 0, 0, false
	}
	from, ok1 := parseClock(strings.TrimSpace(a))
	until, ok2 := parseClock(strings.TrimSpace(b))
	return from, until, ok1 && ok2 && from != until
}

// inWindow reports whether c lies in [from, until); a window whose end is
// not after its start crosses midnight.
func inWindow(c, from, until Clock) bool {
	if from < until {
		return from <= c && c < until
	}
	return c >= from || c < until
}

// fire records that rule fired and returns its detail for the caller to
// fill in. The pointer is valid until the next fire.
func (f *facts) fire(rule string, sev Action, reason Text) *Detail {
	if f.details == nil {
		f.details = make([]Detail, 0, 4)
	}
	f.details = append(f.details, Detail{Rule: rule, Severity: sev, Source: sources[rule], Reason: reason})
	return &f.details[len(f.details)-1]
}

// needApproval fires rule as an approval by role unless that role has
// already approved the contact.
func (f *facts) needApproval(rule string, role auth.Role, reason Text) {
	if slices.Contains(f.p.ApprovedRoles, string(role)) {
		return
	}
	f.fire(rule, Approval, reason).RequiredRole = role
}

// text returns the screening of the proposed text, computing it once.
func (g *Governor) text(f *facts) *Screening {
	if !f.screened {
		f.screen = g.lex.Screen(f.p.Text)
		f.screened = true
	}
	return &f.screen
}

func failClosed(failed []string) Detail {
	return Detail{
		Rule: RuleFailClosed, Severity: Block, Source: sources[RuleFailClosed], Failed: failed,
		Reason: Text{
			ZH: "无法确认时区、身份或同意状态，按规定拒绝：" + strings.Join(failed, ", "),
			EN: "Time zone, identity or consent cannot be established, so the contact is refused: " + strings.Join(failed, ", ") + ".",
		},
	}
}
