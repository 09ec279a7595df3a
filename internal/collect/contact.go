package collect

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/pii"
)

// ContactRequest is a contact a person proposes (before dialling or
// sending) or reports (after a call): the console's contact panel, the API
// and the CLI all send one. To is the number, email or address; the
// console sends a reference instead, so that it never handles the
// plaintext: "phone:N" (the borrower's N-th number, from 1), "email:N", or
// "contact:ID" (a registered contact's number).
type ContactRequest struct {
	BorrowerID int64              `json:"borrower_id"`
	CaseID     int64              `json:"case_id,omitempty"`
	LoanID     int64              `json:"loan_id,omitempty"`
	Channel    compliance.Channel `json:"channel"`
	Direction  string             `json:"direction,omitempty"` // outbound (default) or inbound
	Party      compliance.Party   `json:"party,omitempty"`     // borrower (default), contact, third_party …
	ContactID  int64              `json:"contact_id,omitempty"`
	To         string             `json:"to,omitempty"`
	Purpose    string             `json:"purpose,omitempty"`
	// Text is what will be or was said or written (a message, script or
	// transcript): it is screened for threats, impersonation and pressure.
	Text          string    `json:"text,omitempty"`
	TextSource    string    `json:"text_source,omitempty"`
	DisclosesDebt bool      `json:"discloses_debt,omitempty"`
	LegalCase     string    `json:"legal_case,omitempty"`
	StartedAt     time.Time `json:"started_at,omitzero"` // zero: now

	// What happened (logging only).
	EndedAt      time.Time          `json:"ended_at,omitzero"`
	Outcome      compliance.Outcome `json:"outcome,omitempty"`
	Results      []string           `json:"results,omitempty"`
	Notes        string             `json:"notes,omitempty"`
	RecordingRef string             `json:"recording_ref,omitempty"`

	// Visits.
	Collectors      []string  `json:"collectors,omitempty"`
	RecordingDevice string    `json:"recording_device,omitempty"`
	NoticeSentAt    time.Time `json:"notice_sent_at,omitzero"`
	VisitPurpose    string    `json:"visit_purpose,omitempty"`

	// Promise is a promise to pay made in the contact: the contact must
	// belong to a case (case_id) and be a conversation (outcome
	// connected). It is recorded through the promise book in the contact's
	// own transaction, so the contact and the promise are saved together
	// or not at all; its channel is the contact's.
	Promise *PromiseRequest `json:"promise,omitempty"`

	// caseRecorded says the caller records the contact on its case itself
	// (LogCaseContact, which also keeps promises and closes the call task).
	caseRecorded bool
}

// PromiseRequest is a promise to pay as a contact reports it.
type PromiseRequest struct {
	Amount money.Amount `json:"amount" doc:"What the borrower promised to pay, in yuan: more than 0 and at most what they owe on the case"`
	Due    date.Date    `json:"due" doc:"The promised date, from the contact's day to 30 days ahead"`
}

// promiseChannels are the contact channels a promise can be taken on.
var promiseChannels = []compliance.Channel{compliance.Call, compliance.Visit, compliance.SMS, compliance.Email}

// How far from now a reported contact may start: a little ahead (clock
// skew between the dialler and the server), and up to a month back for
// contacts entered late (a letter, a visit report).
const (
	maxAhead = 5 * time.Minute
	maxLate  = 31 * 24 * time.Hour
)

var contactDirections = []string{"outbound", "inbound"}

// contactChannels are the channels a person can report a contact on.
var contactChannels = []compliance.Channel{compliance.Call, compliance.SMS, compliance.Email, compliance.Letter,
	compliance.Visit, compliance.IM, compliance.Bot, compliance.Group, compliance.PublicPost}

// normalize fills in defaults and checks the request's shape; the
// governor judges everything else. now is the service clock.
func (r *ContactRequest) normalize(now time.Time) error {
	var bad []errs.FieldError
	fail := func(field, format string, args ...any) {
		bad = append(bad, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if r.BorrowerID <= 0 && r.CaseID <= 0 {
		fail("borrower_id", "or case_id is required")
	}
	if !slices.Contains(contactChannels, r.Channel) {
		fail("channel", "%q is not one of call, sms, email, letter, visit, im, bot, group, public_post", r.Channel)
	}
	if r.Direction == "" {
		r.Direction = "outbound"
	}
	if !slices.Contains(contactDirections, r.Direction) {
		fail("direction", "%q is not outbound or inbound", r.Direction)
	}
	if r.Party == "" {
		r.Party = compliance.ToBorrower
	}
	if r.Party == compliance.ToContact && r.ContactID == 0 && !strings.HasPrefix(r.To, "contact:") {
		fail("contact_id", "is required to contact a registered contact")
	}
	if r.StartedAt.IsZero() {
		r.StartedAt = now
	}
	r.StartedAt = r.StartedAt.UTC()
	if r.StartedAt.After(now.Add(maxAhead)) || r.StartedAt.Before(now.Add(-maxLate)) {
		fail("started_at", "must be within the last 31 days and not in the future")
	}
	if !r.EndedAt.IsZero() && r.EndedAt.Before(r.StartedAt) {
		fail("ended_at", "is before started_at")
	}
	for _, res := range r.Results {
		if !slices.Contains(compliance.Results, res) {
			fail("results", "%q is not one of %s", res, strings.Join(compliance.Results, ", "))
		}
	}
	if r.Promise != nil {
		switch {
		case r.CaseID <= 0:
			fail("promise", "belongs to a case: case_id is required")
		case r.Outcome != compliance.Connected:
			fail("promise", "needs a conversation (outcome connected)")
		case !slices.Contains(promiseChannels, r.Channel):
			fail("promise", "cannot be taken on channel %q", r.Channel)
		}
		if !slices.Contains(r.Results, compliance.ResultPromise) {
			r.Results = append(r.Results, compliance.ResultPromise)
		}
	}
	r.Notes = pii.MaskFreeText(r.Notes) // national ids and phone numbers are never stored in full
	if len(r.Notes) > 4000 || len(r.Text) > 4000 {
		fail("notes", "notes and text are at most 4000 bytes")
	}
	if len(bad) > 0 {
		return errs.Fields("The contact is not valid.", bad...)
	}
	return nil
}

// contactOrg returns who a person contacts on behalf of, as the governor counts
// it: "lender", or "agency:<id>" for an agency's agent.
func contactOrg(u auth.User) string {
	if u.AgencyID != 0 {
		return "agency:" + strconv.FormatInt(u.AgencyID, 10)
	}
	return "lender"
}

// contactRecipient is who a contact reaches, resolved from the request.
type contactRecipient struct {
	address      string
	contactID    int64
	relationship string
}

// resolve finds the address of r's recipient among f's numbers, emails and
// registered contacts. A reference that names nothing is an Invalid error;
// a literal address is passed to the governor as given (which blocks an
// address that is not the borrower's as FAIL-CLOSED).
func (r *ContactRequest) resolve(f *borrowerFacts) (contactRecipient, error) {
	var rc contactRecipient
	kind, ref, isRef := strings.Cut(r.To, ":")
	n, _ := strconv.ParseInt(ref, 10, 64)
	switch {
	case isRef && kind == "phone":
		if n < 1 || int(n) > len(f.b.Phones) {
			return rc, errs.Field("to", "the borrower has no phone %s", pii.MaskFreeText(ref)) // a number typed here is not echoed in full
		}
		rc.address = f.b.Phones[n-1].Number
	case isRef && kind == "email":
		if n < 1 || int(n) > len(f.emails) {
			return rc, errs.Field("to", "the borrower has no email %s", pii.MaskFreeText(ref))
		}
		rc.address = f.emails[n-1]
	case isRef && kind == "contact":
		r.ContactID, r.Party = n, compliance.ToContact
	default:
		rc.address = strings.TrimSpace(r.To)
	}
	if r.ContactID != 0 {
		i := slices.IndexFunc(f.contacts, func(c borrower.Contact) bool { return c.ID == r.ContactID })
		if i < 0 {
			return rc, errs.Field("contact_id", "contact %d is not one of the borrower's registered contacts", r.ContactID)
		}
		c := f.contacts[i]
		rc.contactID, rc.relationship = c.ID, c.Relationship
		if rc.address == "" || isRef {
			rc.address = c.Phone
		}
	}
	return rc, nil
}

// proposal is the governor's view of r by u reaching rc, with the roles
// that already approved it.
func (r *ContactRequest) proposal(u auth.User, rc contactRecipient, approved []string) compliance.Proposed {
	p := compliance.Proposed{At: r.StartedAt, Channel: r.Channel, To: rc.address, Party: r.Party, By: contactOrg(u),
		Text: r.Text, TextSource: r.TextSource, Purpose: r.Purpose, DisclosesDebt: r.DisclosesDebt,
		ApprovedRoles: approved, LegalCase: r.LegalCase, Collectors: r.Collectors, RecordingDevice: r.RecordingDevice,
		NoticeSentAt: r.NoticeSentAt, VisitPurpose: r.VisitPurpose}
	if rc.contactID != 0 {
		p.Contact = strconv.FormatInt(rc.contactID, 10)
	}
	if r.LoanID > 0 {
		p.Debts = []string{strconv.FormatInt(r.LoanID, 10)}
	}
	return p
}
