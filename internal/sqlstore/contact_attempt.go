package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"time"

	"accord/internal/compliance"
)

// ContactAttempt is one entry of the contact log: a call, message, letter,
// visit or conversation with the borrower or someone about them, with the
// governor's decision on it. A contact the governor refused is logged too,
// with Performed false: it is evidence of the refusal, not a contact, and
// counts toward no limit. Address is plaintext in memory and encrypted at
// rest; AddressMasked is what lists show.
//
// Entries are kept at least RetainYears (NIFA 2018, R13): the store has no
// way to delete one, and the database refuses to delete one before
// RetainUntil or to change its facts and decision afterwards. Only the end,
// the outcome, what came of it, the notes and the recording may be filled
// in later (CompleteContactAttempt).
type ContactAttempt struct {
	ID            int64               `json:"id"`
	BorrowerID    int64               `json:"borrower_id"`
	CaseID        int64               `json:"case_id,omitempty"`
	LoanID        int64               `json:"loan_id,omitempty"`
	ContactID     int64               `json:"contact_id,omitempty"` // the registered contact reached, if any
	MessageID     int64               `json:"message_id,omitempty"` // the outbox message, for SMS and email the sender sent
	Channel       compliance.Channel  `json:"channel"`
	Direction     string              `json:"direction"` // outbound or inbound
	Party         compliance.Party    `json:"party"`
	Relationship  string              `json:"relationship,omitempty"`
	Address       string              `json:"address,omitempty"` // number, email or place
	AddressMasked string              `json:"address_masked"`
	By            string              `json:"by"` // lender, system or agency:<id>
	AgencyID      int64               `json:"agency_id,omitempty"`
	TeamID        int64               `json:"team_id,omitempty"`
	UserID        int64               `json:"user_id,omitempty"`
	Username      string              `json:"username,omitempty"`
	Automated     bool                `json:"automated"`
	Purpose       string              `json:"purpose,omitempty"`
	StartedAt     time.Time           `json:"started_at"`
	EndedAt       time.Time           `json:"ended_at,omitzero"`
	Outcome       compliance.Outcome  `json:"outcome,omitempty"`
	Results       []string            `json:"results"` // promise, dispute, hardship, complaint, cease_request, wrong_party …
	Notes         string              `json:"notes,omitempty"`
	Content       string              `json:"content,omitempty"` // what was said or written: message text, script, transcript
	RecordingRef  string              `json:"recording_ref,omitempty"`
	Performed     bool                `json:"performed"`
	Action        compliance.Action   `json:"action"`
	Rules         []string            `json:"rules"`
	Decision      compliance.Decision `json:"decision"`
	Route         string              `json:"route,omitempty"`
	ApprovalID    int64               `json:"approval_id,omitempty"`
	CreatedAt     time.Time           `json:"created_at"`
	RetainUntil   time.Time           `json:"retain_until"`
}

// RetainYears is how long the contact log keeps an entry at least.
const RetainYears = 5

const attemptCols = `id, borrower_id, case_id, loan_id, contact_id, message_id, channel, direction, party, relationship,
	address_enc, address_masked, by_org, agency_id, team_id, user_id, username, automated, purpose, started_at,
	ended_at, outcome, results, notes, content, recording_ref, performed, action, rules, decision, route, approval_id,
	created_at, retain_until`

// CreateContactAttempt logs a and the rules its decision fired, and sets
// ID, CreatedAt, RetainUntil (RetainYears after the later of StartedAt and
// now, or later if a says so), Action and Rules (from Decision). It returns
// a Conflict error if MessageID is already logged.
func (tx *Tx) CreateContactAttempt(ctx context.Context, a *ContactAttempt) error {
	enc, err := tx.encrypt(a.Address)
	if err != nil {
		return err
	}
	if a.Address != "" {
		a.AddressMasked = maskAddress(string(a.Channel), a.Address)
	}
	if a.Direction == "" {
		a.Direction = "outbound"
	}
	a.Action, a.Rules = a.Decision.Action, append([]string{}, a.Decision.Rules...)
	a.CreatedAt = tx.now
	a.StartedAt = truncated(a.StartedAt)
	a.EndedAt = truncated(a.EndedAt)
	from := a.StartedAt
	if from.Before(tx.now) {
		from = tx.now
	}
	if keep := from.AddDate(RetainYears, 0, 0); a.RetainUntil.Before(keep) {
		a.RetainUntil = keep
	}
	a.RetainUntil = truncated(a.RetainUntil)
	decision, err := decisionJSON(a.Decision)
	if err != nil {
		return err
	}
	a.Results = nonNilStrings(a.Results)
	results, err := toJSON(a.Results)
	if err != nil {
		return err
	}
	rules, err := toJSON(a.Rules)
	if err != nil {
		return err
	}
	var messageID any
	if a.MessageID > 0 {
		messageID = a.MessageID
	}
	err = tx.get(ctx, "Contact attempt", `INSERT INTO contact_attempts (borrower_id, case_id, loan_id, contact_id, message_id,
		channel, direction, party, relationship, address_enc, address_hash, address_masked, by_org, agency_id, team_id,
		user_id, username, automated, purpose, started_at, ended_at, outcome, results, notes, content, recording_ref,
		performed, action, rules, decision, route, approval_id, created_at, retain_until)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{a.BorrowerID, a.CaseID, a.LoanID, a.ContactID, messageID, string(a.Channel), a.Direction, string(a.Party),
			a.Relationship, enc, tx.hash(a.Address), a.AddressMasked, a.By, a.AgencyID, a.TeamID, a.UserID, a.Username,
			a.Automated, a.Purpose, ts(a.StartedAt), ts(a.EndedAt), string(a.Outcome), results, a.Notes, a.Content,
			a.RecordingRef, a.Performed, string(a.Action), rules, decision, a.Route, a.ApprovalID, ts(a.CreatedAt), ts(a.RetainUntil)},
		&a.ID)
	if err != nil {
		return fmt.Errorf("create contact attempt: %w", conflict(err, "Message %d is already in the contact log.", a.MessageID))
	}
	return tx.insertRuleHits(ctx, a.ID, a.Decision)
}

// insertRuleHits records each rule of d once, with its most severe action.
func (tx *Tx) insertRuleHits(ctx context.Context, id int64, d compliance.Decision) error {
	sev := map[string]compliance.Action{}
	rank := map[compliance.Action]int{compliance.Warn: 1, compliance.Approval: 2, compliance.Block: 3}
	for _, dt := range d.Details {
		if cur, ok := sev[dt.Rule]; !ok || rank[dt.Severity] > rank[cur] {
			sev[dt.Rule] = dt.Severity
		}
	}
	if len(sev) == 0 {
		return nil
	}
	args := make([]any, 0, 3*len(sev))
	for _, rule := range slices.Sorted(maps.Keys(sev)) {
		args = append(args, id, rule, string(sev[rule]))
	}
	if _, err := tx.exec(ctx, "INSERT INTO contact_rule_hits (attempt_id, rule, severity) VALUES "+rowsOf(len(sev), 3), args...); err != nil {
		return fmt.Errorf("insert rule hits: %w", err)
	}
	return nil
}

// ContactAttemptUpdate lists what may be filled in after a contact is
// logged. A nil field is left as it is.
type ContactAttemptUpdate struct {
	EndedAt      *time.Time
	Outcome      *compliance.Outcome
	Results      *[]string
	Notes        *string
	RecordingRef *string
}

// UpdateContactAttempt fills in the end, outcome, results, notes or
// recording of attempt id. Nothing else about an attempt can change. It
// returns a NotFound error if there is none.
func (tx *Tx) UpdateContactAttempt(ctx context.Context, id int64, upd ContactAttemptUpdate) (ContactAttempt, error) {
	a, err := tx.ContactAttempt(ctx, id)
	if err != nil {
		return a, err
	}
	set(&a.EndedAt, upd.EndedAt)
	set(&a.Outcome, upd.Outcome)
	set(&a.Results, upd.Results)
	set(&a.Notes, upd.Notes)
	set(&a.RecordingRef, upd.RecordingRef)
	results, err := toJSON(nonNilStrings(a.Results))
	if err != nil {
		return a, err
	}
	_, err = tx.exec(ctx, `UPDATE contact_attempts SET ended_at = ?, outcome = ?, results = ?, notes = ?, recording_ref = ?
		WHERE id = ?`, ts(a.EndedAt), string(a.Outcome), results, a.Notes, a.RecordingRef, id)
	if err != nil {
		return a, fmt.Errorf("update contact attempt %d: %w", id, err)
	}
	a.EndedAt = truncated(a.EndedAt)
	return a, nil
}

// SetMessageOutcome records the delivery outcome (delivered or failed) on
// the log entry of outbox message id, if it has one.
func (tx *Tx) SetMessageOutcome(ctx context.Context, messageID int64, o compliance.Outcome) error {
	if _, err := tx.exec(ctx, "UPDATE contact_attempts SET outcome = ? WHERE message_id = ?", string(o), messageID); err != nil {
		return fmt.Errorf("set outcome of message %d: %w", messageID, err)
	}
	return nil
}

// ContactAttempt returns log entry id with its address decrypted. It
// returns a NotFound error if there is none.
func (tx *Tx) ContactAttempt(ctx context.Context, id int64) (ContactAttempt, error) {
	list, err := tx.contactAttempts(ctx, " WHERE id = ?", []any{id}, false)
	if err != nil {
		return ContactAttempt{}, err
	}
	if len(list) == 0 {
		return ContactAttempt{}, notFound(fmt.Sprintf("Contact attempt %d", id))
	}
	return list[0], nil
}

// ContactAttemptFilter selects log entries. Pointer fields filter only when
// set.
type ContactAttemptFilter struct {
	BorrowerID *int64
	CaseID     *int64
	Flagged    *bool              // true: only entries whose decision was not allow
	Action     *compliance.Action // only this decision
	Performed  *bool
	From, To   *time.Time // started in [From, To)
	Masked     bool       // leave Address empty instead of decrypting it

	Limit, Offset int
}

func (f ContactAttemptFilter) where() *where {
	var w where
	if f.BorrowerID != nil {
		w.add("borrower_id = ?", *f.BorrowerID)
	}
	if f.CaseID != nil {
		w.add("case_id = ?", *f.CaseID)
	}
	if f.Flagged != nil && *f.Flagged {
		w.add("action <> 'allow'")
	}
	if f.Flagged != nil && !*f.Flagged {
		w.add("action = 'allow'")
	}
	if f.Action != nil {
		w.add("action = ?", string(*f.Action))
	}
	if f.Performed != nil {
		w.add("performed = ?", *f.Performed)
	}
	if f.From != nil {
		w.add("started_at >= ?", ts(*f.From))
	}
	if f.To != nil {
		w.add("started_at < ?", ts(*f.To))
	}
	return &w
}

// ContactAttempts returns a page of the log entries f selects, newest
// first, and how many it selects in all.
func (tx *Tx) ContactAttempts(ctx context.Context, f ContactAttemptFilter) ([]ContactAttempt, int, error) {
	w := f.where()
	var total int
	if err := tx.get(ctx, "Contact attempts", "SELECT COUNT(*) FROM contact_attempts"+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count contact attempts: %w", err)
	}
	list, err := tx.contactAttempts(ctx, w.String()+" ORDER BY started_at DESC, id DESC"+page(f.Limit, f.Offset), w.args, f.Masked)
	return list, total, err
}

// ContactHistory returns the contacts with borrower id that happened
// (Performed) since since, oldest first: the history the governor counts.
func (tx *Tx) ContactHistory(ctx context.Context, borrowerID int64, since time.Time) ([]ContactAttempt, error) {
	return tx.contactAttempts(ctx, " WHERE borrower_id = ? AND started_at >= ? AND performed = ? ORDER BY started_at, id",
		[]any{borrowerID, ts(since), true}, false)
}

// EachContactAttempt calls fn with every log entry f selects (paging is
// ignored), oldest first, streaming, for the regulator export. It stops at
// the first error fn returns.
func (tx *Tx) EachContactAttempt(ctx context.Context, f ContactAttemptFilter, fn func(ContactAttempt) error) error {
	w := f.where()
	rows, err := tx.query(ctx, "SELECT "+attemptCols+" FROM contact_attempts"+w.String()+" ORDER BY started_at, id", w.args...)
	if err != nil {
		return fmt.Errorf("list contact attempts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := tx.scanAttempt(rows, f.Masked)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return interpretError(rows.Err())
}

func (tx *Tx) contactAttempts(ctx context.Context, tail string, args []any, masked bool) ([]ContactAttempt, error) {
	rows, err := tx.query(ctx, "SELECT "+attemptCols+" FROM contact_attempts"+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("list contact attempts: %w", err)
	}
	defer rows.Close()
	var list []ContactAttempt
	for rows.Next() {
		a, err := tx.scanAttempt(rows, masked)
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, interpretError(rows.Err())
}

func (tx *Tx) scanAttempt(rows *sql.Rows, masked bool) (ContactAttempt, error) {
	var (
		a                               ContactAttempt
		enc                             []byte
		messageID                       sql.NullInt64
		channel, party, outcome, action string
		results, rules, decision        string
	)
	err := rows.Scan(&a.ID, &a.BorrowerID, &a.CaseID, &a.LoanID, &a.ContactID, &messageID, &channel, &a.Direction,
		&party, &a.Relationship, &enc, &a.AddressMasked, &a.By, &a.AgencyID, &a.TeamID, &a.UserID, &a.Username,
		&a.Automated, &a.Purpose, instant{&a.StartedAt}, instant{&a.EndedAt}, &outcome, &results, &a.Notes,
		&a.Content, &a.RecordingRef, &a.Performed, &action, &rules, &decision, &a.Route, &a.ApprovalID, instant{&a.CreatedAt},
		instant{&a.RetainUntil})
	if err != nil {
		return a, fmt.Errorf("scan contact attempt: %w", err)
	}
	a.MessageID = messageID.Int64
	a.Channel, a.Party, a.Outcome = compliance.Channel(channel), compliance.Party(party), compliance.Outcome(outcome)
	a.Action = compliance.Action(action)
	if !masked {
		if a.Address, err = tx.decrypt(enc); err != nil {
			return a, fmt.Errorf("contact attempt %d address: %w", a.ID, err)
		}
	}
	for _, j := range []struct {
		s string
		v any
	}{{results, &a.Results}, {rules, &a.Rules}, {decision, &a.Decision}} {
		if err := fromJSON(j.s, j.v); err != nil {
			return a, fmt.Errorf("contact attempt %d: %w", a.ID, err)
		}
	}
	a.Results, a.Rules = nonNilStrings(a.Results), nonNilStrings(a.Rules)
	return a, nil
}

// decisionJSON encodes a governor decision for a JSON column; a decision
// not yet taken (no Action) is "{}".
func decisionJSON(d compliance.Decision) (string, error) {
	if d.Action == "" {
		return "{}", nil
	}
	return toJSON(d)
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
