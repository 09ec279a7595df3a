package selfservice

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// The kinds of request a borrower makes that reach the governor at once.
const (
	RequestDispute     = "dispute"      // 异议: disputes the debt or an amount
	RequestComplaint   = "complaint"    // 投诉: complains about the collection
	RequestStopContact = "stop_contact" // 停止催收联系: asks not to be contacted
)

// RequestKinds lists them.
var RequestKinds = []string{RequestDispute, RequestComplaint, RequestStopContact}

// MaxNote is the longest note a borrower may write, in characters.
const MaxNote = 1000

var resultOf = map[string]string{RequestDispute: compliance.ResultDispute, RequestComplaint: compliance.ResultComplaint,
	RequestStopContact: compliance.ResultCease}

var requestText = map[string][2]string{
	RequestDispute:     {"借款人通过自助渠道提出异议", "The borrower disputed the debt through self-service"},
	RequestComplaint:   {"借款人通过自助渠道投诉", "The borrower complained through self-service"},
	RequestStopContact: {"借款人通过自助渠道要求停止催收联系", "The borrower asked through self-service not to be contacted"},
}

// Request records who's dispute, complaint or stop-contact request, in one
// transaction: the request, the borrower flags the governor reads from now
// on (disputed — and dispute_written from the portal, which is in
// writing —, complaint, cease), an entry on the open case's timeline, and
// the audit event. The note is masked like every free text. It returns an
// Invalid error naming kind or note.
func (s *Service) Request(ctx context.Context, who Borrower, kind, note string) (sqlstore.PortalRequest, error) {
	note = strings.TrimSpace(note)
	if !slices.Contains(RequestKinds, kind) {
		return sqlstore.PortalRequest{}, errs.Field("kind", "must be one of %s", strings.Join(RequestKinds, ", "))
	}
	if utf8.RuneCountInString(note) > MaxNote {
		return sqlstore.PortalRequest{}, errs.Field("note", "at most %d characters", MaxNote)
	}
	if kind == RequestDispute && note == "" {
		return sqlstore.PortalRequest{}, errs.Field("note", "say what you dispute")
	}
	note = pii.MaskFreeText(note)
	var r sqlstore.PortalRequest
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(ctx, who.ID)
		if err != nil {
			return err
		}
		ch := compliance.Email // the portal's forms are written requests
		if who.Channel == "bot" {
			ch = compliance.Bot
		}
		after, added := compliance.FlagsAfter(b.Flags, []string{resultOf[kind]}, ch)
		if len(added) > 0 {
			if _, err := tx.UpdateBorrower(ctx, who.ID, sqlstore.BorrowerUpdate{Flags: &after}); err != nil {
				return err
			}
		}
		c, open, err := openCase(ctx, tx, who)
		if err != nil {
			return err
		}
		r = sqlstore.PortalRequest{BorrowerID: who.ID, CaseID: c.ID, LoanID: who.LoanID, Kind: kind, Channel: channelOf(who),
			Note: note, FlagsAdded: added, CreatedAt: s.now()}
		if err := tx.CreatePortalRequest(ctx, &r); err != nil {
			return err
		}
		if open {
			t := requestText[kind]
			ev := sqlstore.CaseEvent{CaseID: c.ID, BorrowerID: who.ID, On: s.Today(), At: s.now(), Kind: sqlstore.EventNote,
				Code: "portal_" + kind, Actor: "borrower", ZH: t[0], EN: t[1],
				Data: []byte(fmt.Sprintf(`{"request_id":%d}`, r.ID)), DedupKey: fmt.Sprintf("portal_request:%d", r.ID)}
			if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{ev}); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, s.event(who, "portal.request", "borrower", who.ID,
			map[string]any{"request_id": r.ID, "kind": kind, "case_id": c.ID, "flags_before": nonNil(b.Flags),
				"flags_added": nonNil(added)}))
	})
	if err != nil {
		return sqlstore.PortalRequest{}, fmt.Errorf("record %s request of borrower %d: %w", kind, who.ID, err)
	}
	return r, nil
}

// Requests returns who's requests, newest first.
func (s *Service) Requests(ctx context.Context, who Borrower) ([]sqlstore.PortalRequest, error) {
	var out []sqlstore.PortalRequest
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.PortalRequests(ctx, who.ID)
		return err
	})
	return out, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
