package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/sqlstore"
)

type formFile struct{ field, name, contentType, data string }

// doMultipart posts a multipart form of fields and files as role.
func (w *cwWeb) doMultipart(t *testing.T, role auth.Role, target string, fields url.Values, files ...formFile) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, f.field, f.name))
		h.Set("Content-Type", f.contentType)
		p, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = p.Write([]byte(f.data))
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Authorization", "Bearer "+w.tokens[role])
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	w.srv.ServeHTTP(rec, req)
	return rec
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestNegotiation_EvidenceFile: rounds added from the desk with their
// attachments (at most five), each file downloadable with its SHA-256; the
// case's printable evidence file holds every round with the offers made,
// the attachments' SHA-256 and the agreements; a signed copy uploaded on
// the agreement page accepts it and shows in the file. Outside the scope
// all of it is missing.
func TestNegotiation_EvidenceFile(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	act := &activations{}
	w.srv.neg.UseActivator(act)
	w.srv.neg.UseBudgetShare(decimal.MustParse("0.5"))
	rec := w.do(t, auth.Collector, "GET", "/api/v1/cases?limit=1", "")
	wantStatus(t, rec, http.StatusOK, "list cases")
	caseID := decode[struct{ Items []struct{ ID int64 } }](t, rec.Body.Bytes()).Items[0].ID
	desk := fmt.Sprintf("/cases/%d/negotiation", caseID)
	evidence := desk + "/evidence"

	rec = w.do(t, auth.Collector, "GET", evidence, "")
	wantStatus(t, rec, http.StatusOK, "evidence file without rounds")
	wantBody(t, rec, "evidence file without rounds", "协商记录证据文件", `id="no-rounds"`, `<td id="rounds-count">0</td>`)

	form := url.Values{"monthly_income": {"4200.00"}, "income_evidence": {"payslip"}, "other_debt_payments": {"300"},
		"dependants": {"1"}, "liquid_assets": {"100"}, "hardship": {"job_loss"}, "hardship_months": {"2"}, "willingness": {"willing"}}
	wantStatus(t, w.do(t, auth.Collector, "POST", desk+"/assessments", form.Encode()), http.StatusSeeOther, "assess")
	wantStatus(t, w.do(t, auth.Collector, "POST", desk+"/offers", "x=1"), http.StatusSeeOther, "propose")
	rec = w.do(t, auth.Collector, "GET", fmt.Sprintf("/api/v1/cases/%d/offers", caseID), "")
	offers := decode[struct{ Items []sqlstore.Offer }](t, rec.Body.Bytes()).Items
	var pick sqlstore.Offer
	for _, o := range offers {
		if o.Offer.Approval == "collector" || o.Offer.Approval == "supervisor" {
			pick = o
			break
		}
	}
	if pick.ID == 0 {
		t.Fatal("no offer a supervisor may approve")
	}

	round := url.Values{"place_kind": {"home_visit"}, "place": {"北京市朝阳区某路1号"}, "channel": {"visit"},
		"participants": {"collector, 借款人本人"}, "situation": {"失业两个月"}, "counter_offer": {"每月800"},
		"key_points": {"同意考虑展期"}, "outcome": {"counter_offer"}, "offer_id": {fmt.Sprint(pick.ID)}}
	photo, note := "\xff\xd8 photo of the payslip", "借款人手写说明"
	var six []formFile
	for i := range 6 {
		six = append(six, formFile{"attachments", fmt.Sprintf("f%d.txt", i), "text/plain", "x"})
	}
	rec = w.doMultipart(t, auth.Collector, desk+"/rounds", round, six...)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "a round with six files")
	wantBody(t, rec, "a round with six files", "attachments")
	rec = w.doMultipart(t, auth.Collector, desk+"/rounds", round,
		formFile{"attachments", "payslip.jpg", "image/jpeg", photo}, formFile{"attachments", "note.txt", "text/plain", note})
	wantStatus(t, rec, http.StatusSeeOther, "a round with two files")

	rec = w.do(t, auth.Collector, "GET", fmt.Sprintf("/api/v1/cases/%d/rounds", caseID), "")
	rounds := decode[struct {
		Items []struct {
			ID          int64
			Attachments []struct {
				ID     int64  `json:"id"`
				Name   string `json:"name"`
				SHA256 string `json:"sha256"`
			}
		}
	}](t, rec.Body.Bytes()).Items
	if len(rounds) != 1 || len(rounds[0].Attachments) != 2 {
		t.Fatalf("rounds after a refused and an accepted form: %+v", rounds)
	}
	for i, want := range []string{photo, note} {
		a := rounds[0].Attachments[i]
		if a.SHA256 != sha256Hex(want) {
			t.Errorf("attachment %s: SHA-256 %s, want that of its bytes %s", a.Name, a.SHA256, sha256Hex(want))
		}
		rec = w.do(t, auth.Collector, "GET", fmt.Sprintf("/api/v1/attachments/%d", a.ID), "")
		wantStatus(t, rec, http.StatusOK, "download "+a.Name)
		if rec.Body.String() != want || rec.Header().Get("X-Content-SHA256") != a.SHA256 ||
			!strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment") {
			t.Errorf("download %s: %q, headers %v", a.Name, rec.Body.String(), rec.Header())
		}
		wantStatus(t, w.do(t, auth.FieldAgent, "GET", fmt.Sprintf("/api/v1/attachments/%d", a.ID), ""), http.StatusNotFound,
			"an attachment outside the scope")
	}
	wantStatus(t, w.do(t, auth.Collector, "GET", "/api/v1/attachments/987654321", ""), http.StatusNotFound, "a missing attachment")

	rec = w.do(t, auth.Collector, "GET", desk, "")
	wantBody(t, rec, "desk", fmt.Sprintf(`href="/cases/%d/negotiation/evidence"`, caseID),
		fmt.Sprintf(`href="/api/v1/attachments/%d"`, rounds[0].Attachments[0].ID), `enctype="multipart/form-data"`)

	rec = w.do(t, auth.Collector, "GET", evidence, "")
	wantStatus(t, rec, http.StatusOK, "evidence file")
	wantBody(t, rec, "evidence file", `<td id="rounds-count">1</td>`, "第 1 轮协商", "北京市朝阳区某路1号", "失业两个月",
		"每月800", "同意考虑展期", fmt.Sprintf("#%d %s", pick.ID, negLabel(negLabels("zh-CN"), "kind", string(pick.Offer.Kind))),
		`data-sha256="`+sha256Hex(photo)+`"`, `data-sha256="`+sha256Hex(note)+`"`, "data-print")
	digest := regexp.MustCompile(`id="evidence-digest">([0-9a-f]{64})<`).FindStringSubmatch(rec.Body.String())
	if digest == nil {
		t.Fatalf("no record digest in the evidence file")
	}
	if again := w.do(t, auth.Collector, "GET", evidence, ""); !strings.Contains(again.Body.String(), digest[1]) {
		t.Error("the digest differs between two printouts of the same record")
	}
	wantStatus(t, w.do(t, auth.FieldAgent, "GET", evidence, ""), http.StatusNotFound, "evidence outside the scope")

	// The agreement, accepted by the signed copy uploaded on its page.
	wantStatus(t, w.do(t, auth.Supervisor, "POST", fmt.Sprintf("/offers/%d/approve", pick.ID), "reason=ok"), http.StatusSeeOther, "approve")
	rec = w.do(t, auth.Collector, "POST", fmt.Sprintf("/offers/%d/agreement", pick.ID), "x=1")
	wantStatus(t, rec, http.StatusSeeOther, "make agreement")
	loc := rec.Header().Get("Location")
	rec = w.do(t, auth.Collector, "GET", loc, "")
	wantBody(t, rec, "agreement page", `id="signed-copy-form"`, fmt.Sprintf(`action="%s/signed-copy"`, loc))
	rec = w.doMultipart(t, auth.Collector, loc+"/signed-copy", nil)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "no file")
	wantBody(t, rec, "no file", "file")
	if len(act.got) != 0 {
		t.Fatalf("activated without a signed copy: %d", len(act.got))
	}
	signed := "%PDF-1.4 signed by the borrower"
	rec = w.doMultipart(t, auth.Collector, loc+"/signed-copy", nil, formFile{"file", "signed.pdf", "application/pdf", signed})
	wantStatus(t, rec, http.StatusSeeOther, "signed copy")
	rec = w.do(t, auth.Collector, "GET", "/api/v1"+loc, "")
	ag := decode[struct {
		ID           int64  `json:"id"`
		Status       string `json:"status"`
		Method       string `json:"method"`
		SignedSHA256 string `json:"signed_sha256"`
	}](t, rec.Body.Bytes())
	if ag.Status != "accepted" || ag.Method != "signed_copy" || ag.SignedSHA256 != sha256Hex(signed) || len(act.got) != 1 {
		t.Errorf("after the signed copy: %+v, activations %d", ag, len(act.got))
	}
	rec = w.do(t, auth.Collector, "GET", evidence, "")
	wantBody(t, rec, "evidence file after acceptance", `<td id="rounds-count">2</td>`, "第 2 轮协商", `data-sha256="`+sha256Hex(signed)+`"`,
		fmt.Sprintf(`id="evidence-agreement-%d"`, ag.ID), "<code>"+sha256Hex(signed)+"</code>")
	if strings.Contains(rec.Body.String(), digest[1]) {
		t.Error("the digest did not change with a new round")
	}
}
