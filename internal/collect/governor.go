package collect

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"accord/internal/borrower"
	"accord/internal/calendar"
	"accord/internal/compliance"
	"accord/internal/sqlstore"
)

// The governor's fixed data, parsed once per process: the lexicon and the
// calendar built into the binary. Both are immutable.
var (
	builtinLexicon  = sync.OnceValue(compliance.DefaultLexicon)
	builtinCalendar = sync.OnceValue(calendar.Default)
)

// historyWindow is how much contact history the governor is given: enough
// for every rule (the longest looks back 7 days; lost contact looks for the
// last successful contact).
const historyWindow = 90 * 24 * time.Hour

// govRules is the governor as the tenant configured it: the holiday calendar
// with admins' edits, the profile in force and its policy.
type govRules struct {
	gov    *compliance.Governor
	cal    *calendar.Calendar
	j      compliance.Jurisdiction
	policy compliance.Policy
}

// contactRules returns the tenant's calendar and policy as seen by tx.
// Every path that decides on a contact goes through it, so the console, the
// API, the CLI, the nightly run and the sender all apply the same rules.
//
// Building them (every stored calendar day and policy, parsed) cost "Get
// next case" about a quarter of each press (issue 11), so the rules last
// built are kept with the change stamp of the data they came from
// (tx.ContactRulesStamp, changed by the database whenever the calendar or a
// policy is edited, by any node) and rebuilt only when the stamp in tx
// differs. The cached rules are immutable and shared by every goroutine.
func (s *Service) contactRules(ctx context.Context, tx *sqlstore.Tx) (govRules, error) {
	stamp, err := tx.ContactRulesStamp(ctx)
	if err != nil {
		return govRules{}, err
	}
	if r, ok := s.rules.get(stamp); ok {
		return r, nil
	}
	// One builder at a time: when the cache misses (the first requests
	// after a start or an edit), concurrent requests — 200 collectors
	// pressing "Get next case" at once — would otherwise each build the
	// same rules. The others wait and then find them in the cache.
	s.rules.build.Lock()
	defer s.rules.build.Unlock()
	if r, ok := s.rules.get(stamp); ok {
		return r, nil
	}
	r, err := buildContactRules(ctx, tx)
	if err != nil {
		return govRules{}, err
	}
	s.rules.put(stamp, r)
	return r, nil
}

// rulesCache holds the contact rules last built and the stamp of the data
// they were built from. The zero value is empty.
type rulesCache struct {
	build sync.Mutex // held while building rules for a missing stamp
	mu    sync.Mutex
	stamp string
	rules govRules
}

func (c *rulesCache) get(stamp string) (govRules, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rules, c.stamp == stamp && c.rules.gov != nil
}

// put keeps r as built from the data of stamp. Two builders racing can
// leave an older stamp in place; that costs one rebuild, never a wrong
// answer, since a lookup needs the stamp to be equal.
func (c *rulesCache) put(stamp string, r govRules) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stamp, c.rules = stamp, r
}

// buildContactRules reads the tenant's calendar and policy in tx.
func buildContactRules(ctx context.Context, tx *sqlstore.Tx) (govRules, error) {
	cal, err := tenantCalendar(ctx, tx)
	if err != nil {
		return govRules{}, err
	}
	records, err := tx.ContactPolicies(ctx)
	if err != nil {
		return govRules{}, err
	}
	r := govRules{cal: cal, j: activeProfile(records), gov: compliance.New(cal, builtinLexicon())}
	for _, rec := range records {
		if rec.Jurisdiction != string(r.j) {
			continue
		}
		var ps PolicySettings
		if err := json.Unmarshal(rec.Policy, &ps); err != nil {
			return govRules{}, fmt.Errorf("policy %s: %w", rec.Jurisdiction, err)
		}
		if r.policy, err = ps.Policy(); err != nil {
			return govRules{}, fmt.Errorf("policy %s: %w", rec.Jurisdiction, err)
		}
	}
	return r, nil
}

// tenantCalendar is the built-in calendar with every year an admin edited
// replaced by the stored one.
func tenantCalendar(ctx context.Context, tx *sqlstore.Tx) (*calendar.Calendar, error) {
	stored, err := tx.CalendarDays(ctx)
	if err != nil {
		return nil, err
	}
	builtin := builtinCalendar()
	if len(stored) == 0 {
		return builtin, nil
	}
	edited := map[int]bool{}
	for _, d := range stored {
		y, _, _ := d.Date.Parts()
		edited[y] = true
	}
	days := stored
	for _, d := range builtin.Days() {
		if y, _, _ := d.Date.Parts(); !edited[y] {
			days = append(days, d)
		}
	}
	return calendar.New(days)
}

// borrowerFacts is what the governor knows about one borrower: the Input without a
// proposal, and the records it came from.
type borrowerFacts struct {
	in       compliance.Input
	b        borrower.Borrower
	emails   []string
	contacts []borrower.Contact
}

// loadFacts reads borrower id's facts and their contact history from
// historyWindow before at.
func (s *Service) loadFacts(ctx context.Context, tx *sqlstore.Tx, r govRules, id int64, at time.Time) (borrowerFacts, error) {
	since := at.Add(-historyWindow)
	g := sqlstore.GovernorFacts{}
	var err error
	if g.Borrower, err = tx.Borrower(ctx, id); err != nil {
		return borrowerFacts{}, err
	}
	if g.Emails, err = tx.BorrowerEmails(ctx, id); err != nil {
		return borrowerFacts{}, err
	}
	if g.Contacts, err = tx.ContactsByBorrower(ctx, id); err != nil {
		return borrowerFacts{}, err
	}
	if g.ContactFlags, err = tx.ContactFlags(ctx, id); err != nil {
		return borrowerFacts{}, err
	}
	if g.Consents, err = tx.BorrowerConsents(ctx, id); err != nil {
		return borrowerFacts{}, err
	}
	if g.OptOuts, err = tx.BorrowerOptOuts(ctx, id); err != nil {
		return borrowerFacts{}, err
	}
	if g.History, err = tx.ContactHistory(ctx, id, since); err != nil {
		return borrowerFacts{}, err
	}
	return r.facts(&g, since), nil
}

// facts is what the governor knows about g's borrower under r, with the
// contacts of g's history since since (g may hold earlier ones: read for
// several borrowers at once a moment before, see sqlstore.GovernorFactsOf).
func (r govRules) facts(g *sqlstore.GovernorFacts, since time.Time) borrowerFacts {
	f := borrowerFacts{b: g.Borrower, emails: g.Emails, contacts: g.Contacts}
	id := g.Borrower.ID
	in := compliance.Input{Jurisdiction: r.j, Policy: r.policy, Borrower: compliance.Borrower{
		ID: strconv.FormatInt(id, 10), Emails: f.emails, Flags: f.b.Flags, OptOuts: g.OptOuts}}
	if f.b.TimeZone != "" {
		in.Borrower.TimeZones = []string{f.b.TimeZone}
	}
	for _, p := range f.b.Phones {
		in.Borrower.Phones = append(in.Borrower.Phones, p.Number)
	}
	for _, c := range g.Consents {
		in.Borrower.Consents = append(in.Borrower.Consents, c.Consent)
	}
	for _, c := range f.contacts {
		in.Contacts = append(in.Contacts, compliance.Contact{ID: strconv.FormatInt(c.ID, 10), Name: c.Name,
			Relationship: c.Relationship, Registered: true, Phone: c.Phone, Flags: g.ContactFlags[c.ID]})
	}
	since = since.Truncate(time.Microsecond) // as the store compares instants
	for _, a := range g.History {
		if !a.StartedAt.Before(since) {
			in.History = append(in.History, historyEntry(a))
		}
	}
	f.in = in
	return f
}

// historyEntry turns a contact log entry into the governor's Attempt.
func historyEntry(a sqlstore.ContactAttempt) compliance.Attempt {
	h := compliance.Attempt{ID: strconv.FormatInt(a.ID, 10), At: a.StartedAt, Channel: a.Channel,
		Inbound: a.Direction == "inbound", To: a.Address, Party: a.Party, By: a.By, Outcome: a.Outcome,
		Purpose: a.Purpose, Automated: a.Automated}
	if a.ContactID > 0 {
		h.Contact = strconv.FormatInt(a.ContactID, 10)
	}
	if a.LoanID > 0 {
		h.Debts = []string{strconv.FormatInt(a.LoanID, 10)}
	}
	return h
}

// check runs the governor on p with the facts of f.
func (r govRules) check(f *borrowerFacts, p compliance.Proposed) compliance.Decision {
	in := f.in
	in.History = historyAsOf(in.History, p.At)
	in.Proposed = p
	return r.gov.Check(in)
}

// historyAsOf returns history as the governor must see it for a contact at at.
// The governor counts only what happened before the proposed instant;
// entries recorded for that instant or later (two contacts logged for the
// same second, or an earlier contact entered late) are moved to just
// before it, so that logging contacts out of order cannot slip past a cap.
// This can only make a decision stricter.
func historyAsOf(h []compliance.Attempt, at time.Time) []compliance.Attempt {
	var out []compliance.Attempt
	for i := range h {
		if h[i].At.Before(at) {
			continue
		}
		if out == nil {
			out = slices.Clone(h)
		}
		out[i].At = at.Add(-time.Nanosecond)
	}
	if out == nil {
		return h
	}
	return out
}

// nextAllowed returns when p would first be allowed, within limit of its
// time, or zero.
func (r govRules) nextAllowed(f *borrowerFacts, p compliance.Proposed, limit time.Duration) time.Time {
	in := f.in
	in.History = historyAsOf(in.History, p.At)
	in.Proposed = p
	at, _, ok := r.gov.NextAllowed(in, p.At.Add(limit))
	if !ok {
		return time.Time{}
	}
	return at
}
