package web_test

import (
	"html"
	"regexp"
	"strconv"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/sqlstore"
)

// caseRow is a row of the /cases table: the case's id and, last, its owner.
var caseRow = regexp.MustCompile(`(?s)<tr><td><a class="case-link" href="/cases/(\d+)">.*?<td>([^<]*)</td></tr>`)

// caseOwner is the case page's owner.
var caseOwner = regexp.MustCompile(`<dd id="case-owner">([^<]*?)\s*(?:<|$)`)

// TestCaseIndex_OwnerByName: /cases shows each case's owner as the
// collector's or agency's name, and a case nobody owns as 未分配 /
// Unassigned in the reader's language, never a code such as "collector 15"
// or "unassigned", and so does each case's page; on both engines.
func TestCaseIndex_OwnerByName(t *testing.T) {
	for _, eng := range openers() {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, eng.open(t), envOpts{Cycle: true, Quiet: true})
			want := map[int64]casework.Owner{}
			names := map[casework.Owner]string{}
			if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
				cs, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Limit: 1000})
				if err != nil {
					return err
				}
				for _, c := range cs {
					want[c.ID] = c.Owner
				}
				cols, err := tx.Collectors(ctx, sqlstore.CollectorFilter{})
				for _, c := range cols {
					names[casework.Owner{Kind: casework.ToCollector, ID: c.ID}] = c.Name
				}
				if err != nil {
					return err
				}
				ags, err := tx.Agencies(ctx)
				for _, a := range ags {
					names[casework.Owner{Kind: casework.ToAgency, ID: a.ID}] = a.Name
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []struct{ code, unassigned string }{{"zh-CN", "未分配"}, {"en", "Unassigned"}} {
				rec := e.do(t, request{role: auth.Supervisor, method: "GET", url: "/cases",
					headers: map[string]string{"Cookie": "accord_lang=" + lang.code}})
				if rec.Code != 200 {
					t.Fatalf("GET /cases in %s = %d", lang.code, rec.Code)
				}
				rows := caseRow.FindAllStringSubmatch(rec.Body.String(), -1)
				var owned, free int
				for _, m := range rows {
					id, _ := strconv.ParseInt(m[1], 10, 64)
					o, ok := want[id]
					if !ok {
						t.Fatalf("case %d is listed but not in the store", id)
					}
					exp := lang.unassigned
					if !o.IsZero() {
						exp = names[o]
						owned++
					} else {
						free++
					}
					if got := html.UnescapeString(m[2]); got != exp || exp == "" {
						t.Errorf("%s: case %d (owner %s) shows the owner as %q, want %q", lang.code, id, o, got, exp)
					}
				}
				if owned == 0 || free == 0 {
					t.Fatalf("%s: %d rows, %d owned and %d unassigned: the test needs both", lang.code, len(rows), owned, free)
				}
				for id, o := range want {
					exp := lang.unassigned
					if !o.IsZero() {
						exp = names[o]
					}
					rec := e.do(t, request{role: auth.Supervisor, method: "GET", url: "/cases/" + strconv.FormatInt(id, 10),
						headers: map[string]string{"Cookie": "accord_lang=" + lang.code}})
					if m := caseOwner.FindStringSubmatch(rec.Body.String()); m == nil || html.UnescapeString(m[1]) != exp {
						t.Errorf("%s: the page of case %d (owner %s) shows the owner as %v, want %q", lang.code, id, o, m, exp)
					}
				}
			}
		})
	}
}
