package fieldwork_test

import (
	"strings"
	"testing"

	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/fieldwork"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// The numbers typed into every free-text field, and how they must be kept.
const (
	fullPhone, fullID     = "13912345678", "11010519491231002X"
	maskedPhone, maskedID = "139****5678", "110105********002X"
	typedText             = "借款人手机" + fullPhone + "，身份证" + fullID
	maskedText            = "借款人手机" + maskedPhone + "，身份证" + maskedID
)

// TestFreeText_MaskedBeforeStorage: a full phone number and national id
// typed into a visit's purpose and target, a decision note (approve and
// reject), a cancel reason, an outcome's note, who was met, a correction's
// note, an attachment's name, the new address line of a moved outcome, an
// incident and a complaint are stored masked: in the visit, its entries
// and incidents, the promise and negotiation round the outcomes make, the
// borrower's address and its change, and the audit log. The street and
// room numbers of the new address stay as typed. A phone number typed as
// the check-in partner is refused without being echoed in full.
func TestFreeText_MaskedBeforeStorage(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 400)
		cs := e.eligibleCases(t, 2)
		admin, sup, fa1 := e.as("admin"), e.as("supervisor"), e.as("fa1")
		day := start.AddDays(2)
		// Two visits requested, approved and noticed, planned for fa1 and
		// fa2 (whose open tasks put the cases in their reach), checked in:
		// one ends in a promise (then corrected), one in a negotiation.
		e.at(start, "10:00")
		var worked []sqlstore.Visit
		for i, c := range cs {
			r := fieldwork.NewRequest{CaseID: c.ID, Purpose: "面谈"}
			if i == 0 {
				r.Purpose, r.Target = typedText, typedText
			}
			v, err := e.fw.RequestVisit(ctx, admin, r)
			if err != nil {
				t.Fatalf("RequestVisit: %v", err)
			}
			if _, err := e.fw.Approve(ctx, sup, v.ID, typedText); err != nil {
				t.Fatalf("Approve: %v", err)
			}
			if v, err = e.fw.SendNotice(ctx, sup, v.ID, day); err != nil {
				t.Fatalf("SendNotice: %v", err)
			}
			worked = append(worked, v)
		}
		pr := savePair(t, e, "一组", "fa1", "fa2", "REC-3", worked[0])
		e.at(start.AddDays(1), "17:00")
		if _, err := e.fw.PlanDay(ctx, sup, day); err != nil {
			t.Fatalf("PlanDay: %v", err)
		}
		checkIn := func(v sqlstore.Visit) {
			t.Helper()
			if _, err := e.fw.CheckIn(ctx, fa1, v.ID, fieldwork.CheckInRequest{Lat: v.Lat, Lon: v.Lon, Partner: "fa2",
				RecordingDevice: "REC-3"}); err != nil {
				t.Fatalf("CheckIn(%d): %v", v.ID, err)
			}
		}
		for i, v := range worked {
			page, err := e.fw.Visit(ctx, fa1, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			worked[i] = page.Visit
			e.set(page.Visit.PlannedStart)
			if i == 0 { // a phone number typed as the partner is refused without echoing it in full
				_, err := e.fw.CheckIn(ctx, fa1, v.ID, fieldwork.CheckInRequest{Lat: page.Visit.Lat, Lon: page.Visit.Lon,
					Partner: fullPhone, RecordingDevice: "REC-3"})
				text := ""
				for _, f := range errs.FieldsOf(err) {
					text += f.Field + " " + f.Message
				}
				if !hasField(err, "partner") || strings.Contains(text+err.Error(), fullPhone) || !strings.Contains(text, maskedPhone) {
					t.Errorf("check-in with partner %s = %v (%s); want Invalid naming partner, the number masked", fullPhone, err, text)
				}
			}
			checkIn(page.Visit)
		}
		promised, negotiated := worked[0], worked[1]
		today := e.fw.Today()
		pOut, err := e.fw.RecordOutcome(ctx, fa1, promised.ID, fieldwork.NewOutcome{Kind: visit.Promise, Note: typedText,
			Amount: money.Yuan(1000), PromiseDate: today.AddDays(7),
			Attachments: []fieldwork.NewAttachment{{Name: "收据" + fullPhone + ".jpg", Data: []byte("jpg")}}})
		if err != nil {
			t.Fatalf("RecordOutcome(promise): %v", err)
		}
		if _, err := e.fw.RecordOutcome(ctx, fa1, promised.ID, fieldwork.NewOutcome{Kind: visit.MetOther, MetWhom: typedText,
			Note: typedText, Corrects: pOut.Entry.ID}); err != nil {
			t.Fatalf("RecordOutcome(correction): %v", err)
		}
		nOut, err := e.fw.RecordOutcome(ctx, fa1, negotiated.ID, fieldwork.NewOutcome{Kind: visit.Negotiation, Note: typedText})
		if err != nil {
			t.Fatalf("RecordOutcome(negotiation): %v", err)
		}

		// Visits stored as planning leaves them, on the same cases: one
		// moved, one with an incident (and a complaint), one cancelled; and
		// one stored as requested, then rejected.
		outcome := func(c sqlstore.Case, o fieldwork.NewOutcome) (sqlstore.Visit, fieldwork.OutcomeResult) {
			t.Helper()
			v := plannedToday(t, e, c, pr)
			checkIn(v)
			out, err := e.fw.RecordOutcome(ctx, fa1, v.ID, o)
			if err != nil {
				t.Fatalf("RecordOutcome(%s): %v", o.Kind, err)
			}
			return v, out
		}
		var base borrower.Address
		e.read(t, func(tx *sqlstore.Tx) error {
			b, err := tx.Borrower(ctx, cs[0].BorrowerID)
			if err == nil {
				base = b.Addresses[0]
			}
			return err
		})
		cancelled := plannedToday(t, e, cs[1], pr)
		if _, err := e.fw.Cancel(ctx, sup, cancelled.ID, typedText); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
		var rejected sqlstore.Visit
		e.write(t, func(tx *sqlstore.Tx) error {
			b, err := tx.Borrower(ctx, cs[1].BorrowerID)
			if err != nil {
				return err
			}
			a := b.Addresses[0]
			rejected = sqlstore.Visit{BorrowerID: cs[1].BorrowerID, CaseID: cs[1].ID, State: string(visit.Requested),
				Source: fieldwork.SourceCollector, Purpose: "面谈", RequestedBy: "admin", RequestedAt: e.clock(), AddressLine: a.Line,
				Region: a.Region, Lat: a.Lat, Lon: a.Lon, DurationMin: 45, OverdueMinor: int64(cs[1].Overdue), CostMinor: 12000}
			return tx.CreateVisit(ctx, &rejected)
		})
		const street = "浦东新区世纪大道100号2栋301室"
		moved, mOut := outcome(cs[0], fieldwork.NewOutcome{Kind: visit.Moved, Note: typedText,
			NewAddress: &borrower.Address{Line: street + "，" + typedText, City: "上海市", Region: "上海市", Lat: base.Lat, Lon: base.Lon}})
		incident, _ := outcome(cs[1], fieldwork.NewOutcome{Kind: visit.Incident, Note: typedText})
		if _, err := e.fw.ReportComplaint(ctx, sup, incident.ID, typedText); err != nil {
			t.Fatalf("ReportComplaint: %v", err)
		}
		if _, err := e.fw.Reject(ctx, sup, rejected.ID, typedText); err != nil {
			t.Fatalf("Reject: %v", err)
		}

		var kept []struct{ field, text string }
		keep := func(field, text string) { kept = append(kept, struct{ field, text string }{field, text}) }
		e.read(t, func(tx *sqlstore.Tx) error {
			for _, id := range []int64{promised.ID, rejected.ID, cancelled.ID} {
				v, err := tx.Visit(ctx, id)
				if err != nil {
					return err
				}
				switch id {
				case promised.ID:
					keep("purpose", v.Purpose)
					keep("target", v.Target)
					keep("decision_note", v.DecisionNote)
				case rejected.ID:
					keep("decision_note", v.DecisionNote)
				default:
					keep("cancel_reason", v.CancelReason)
				}
			}
			for _, v := range []sqlstore.Visit{promised, negotiated, moved, incident} {
				list, err := tx.VisitEntries(ctx, v.ID)
				if err != nil {
					return err
				}
				for _, en := range list {
					keep("entry note", en.Note)
					if en.MetWhom != "" {
						keep("met_whom", en.MetWhom)
					}
					if en.NewAddress != "" {
						keep("entry new_address", en.NewAddress)
					}
					for _, a := range en.Attachments {
						if strings.Contains(a.Name, fullPhone) || !strings.Contains(a.Name, maskedPhone) {
							t.Errorf("attachment name %q, want the phone masked", a.Name)
						}
					}
				}
			}
			incs, err := tx.Incidents(ctx, false, incident.ID)
			if err != nil {
				return err
			}
			if len(incs) != 2 {
				t.Errorf("%d incidents of visit %d, want the incident and the complaint", len(incs), incident.ID)
			}
			for _, in := range incs {
				keep(in.Kind, in.Note)
			}
			var note, situation, points string
			if err := tx.Inspect(ctx, "SELECT note FROM promises WHERE id = ?", pOut.PromiseID).Scan(&note); err != nil {
				return err
			}
			if err := tx.Inspect(ctx, "SELECT situation, key_points FROM negotiation_rounds WHERE id = ?", nOut.RoundID).
				Scan(&situation, &points); err != nil {
				return err
			}
			keep("promise note", note)
			keep("round situation", situation)
			keep("round key_points", points)
			b, err := tx.Borrower(ctx, moved.BorrowerID)
			if err != nil {
				return err
			}
			keep("borrower address", b.Addresses[0].Line)
			return nil
		})
		changes, err := e.fw.AddressChanges(ctx, sup, moved.BorrowerID)
		if err != nil || len(changes) != 1 {
			t.Fatalf("address changes = %+v, %v", changes, err)
		}
		keep("address change", changes[0].Address.Line)
		if mOut.AddressChangeID != changes[0].ID {
			t.Errorf("address change %d, the outcome made %d", changes[0].ID, mOut.AddressChangeID)
		}
		for _, k := range []string{"entry note", "met_whom", "entry new_address", "complaint", "incident", "cancel_reason", "purpose", "decision_note"} {
			if !slicesHas(kept, k) {
				t.Errorf("no %s read back", k)
			}
		}
		for _, k := range kept {
			if strings.Contains(k.text, fullPhone) || strings.Contains(k.text, fullID) || !strings.Contains(k.text, maskedText) {
				t.Errorf("%s kept as %q, want %q in it", k.field, k.text, maskedText)
			}
			if strings.Contains(k.field, "address") && !strings.Contains(k.text, street) {
				t.Errorf("%s kept as %q, want the street and room numbers %q as typed", k.field, k.text, street)
			}
		}

		action := "visit.cancel"
		e.read(t, func(tx *sqlstore.Tx) error {
			evs, _, err := tx.AuditEventsFor(ctx, sqlstore.AuditFilter{Action: &action, Limit: 10})
			if err != nil {
				return err
			}
			if len(evs) != 1 || !strings.Contains(string(evs[0].Summary), maskedText) {
				t.Errorf("visit.cancel audit events = %+v, want one with the reason masked", evs)
			}
			return nil
		})
		for _, q := range []string{
			"SELECT COUNT(*) FROM audit_events WHERE summary LIKE ? OR summary LIKE ?",
			"SELECT COUNT(*) FROM visits WHERE purpose LIKE ? OR target LIKE ? OR decision_note LIKE ? OR cancel_reason LIKE ?",
			"SELECT COUNT(*) FROM visit_entries WHERE note LIKE ? OR met_whom LIKE ? OR new_address LIKE ?",
			"SELECT COUNT(*) FROM visit_incidents WHERE note LIKE ? OR note LIKE ?",
			"SELECT COUNT(*) FROM visit_attachments WHERE name LIKE ?",
			"SELECT COUNT(*) FROM promises WHERE note LIKE ? OR note LIKE ?",
			"SELECT COUNT(*) FROM negotiation_rounds WHERE situation LIKE ? OR key_points LIKE ?",
			"SELECT COUNT(*) FROM borrower_address_changes WHERE address LIKE ? OR address LIKE ?",
		} {
			for _, full := range []string{fullPhone, fullID} {
				args := make([]any, strings.Count(q, "?"))
				for i := range args {
					args[i] = "%" + full + "%"
				}
				if n := e.count(t, q, args...); n != 0 {
					t.Errorf("%s: %d rows hold %s in full", q, n, full)
				}
			}
		}
	})
}

func slicesHas(kept []struct{ field, text string }, field string) bool {
	for _, k := range kept {
		if k.field == field {
			return true
		}
	}
	return false
}
