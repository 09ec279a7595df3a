package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestAdminUsersPage drives user administration through the console: the
// list, creating a user, changing roles and team, disabling, enabling,
// resetting a password and who may do it.
func TestAdminUsersPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{})
	get := func(r auth.Role, url string) (int, string) {
		rec := e.do(t, request{role: r, method: "GET", url: url})
		return rec.Code, rec.Body.String()
	}
	post := func(r auth.Role, url, body string) (int, string) {
		rec := e.do(t, request{role: r, method: "POST", url: url, body: body})
		return rec.Code, rec.Body.String()
	}

	code, body := get(auth.Admin, "/admin/users")
	if code != http.StatusOK {
		t.Fatalf("GET /admin/users as admin = %d", code)
	}
	for _, want := range []string{`id="user-list"`, `>collector<`, "催收员", `id="nav-admin-users"`, `id="nav-admin-import"`, `id="user-create"`,
		"2026-03-20 10:00:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("user page lacks %q", want)
		}
	}
	if code, _ := get(auth.Collector, "/admin/users"); code != http.StatusForbidden {
		t.Errorf("GET /admin/users as collector = %d, want 403", code)
	}
	if code, _ := get(auth.Supervisor, "/admin/import"); code != http.StatusForbidden {
		t.Errorf("GET /admin/import as supervisor = %d, want 403", code)
	}
	if _, body := get(auth.Collector, "/borrowers"); strings.Contains(body, "nav-admin-users") || strings.Contains(body, "/admin/import") {
		t.Error("a collector's nav links to the admin pages")
	}
	if code, _ := post(auth.Supervisor, "/admin/users", form("username", "sneaky", "password", "0123456789ab", "roles", "admin")); code != http.StatusForbidden {
		t.Errorf("supervisor creating a user = %d, want 403", code)
	}

	var team sqlstore.Team
	if err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		team = sqlstore.Team{Name: "华南一组"}
		return tx.CreateTeam(ctx, &team)
	}); err != nil {
		t.Fatal(err)
	}
	// Create.
	if code, body := post(auth.Admin, "/admin/users", form("username", "wang", "display_name", "王五", "password", "first-password-1",
		"roles", "collector", "team_id", strconv.FormatInt(team.ID, 10), "language", "zh-CN")); code != http.StatusSeeOther {
		t.Fatalf("create user = %d: %s", code, body)
	}
	if code, _ := post(auth.Admin, "/admin/users", form("username", "wang", "password", "first-password-1", "roles", "collector")); code != http.StatusConflict {
		t.Errorf("creating a taken username = %d, want 409", code)
	}
	if code, body := post(auth.Admin, "/admin/users", form("username", "norole", "password", "first-password-1")); code != http.StatusUnprocessableEntity || !strings.Contains(body, "roles") {
		t.Errorf("creating a user without a role = %d, want 422 naming roles", code)
	}
	wang := findUser(t, e, "wang")
	if wang.TeamID != team.ID || !wang.Has(auth.Collector) || wang.DisplayName != "王五" {
		t.Fatalf("created user = %+v", wang)
	}
	if _, body := get(auth.Admin, "/admin/users"); !strings.Contains(body, "王五") || !strings.Contains(body, "华南一组") ||
		!strings.Contains(userRow(body, wang.ID), "从未登录") {
		t.Error("the list does not show the new user with their team, never signed in")
	}
	tok, _, err := e.svc.Login(ctx, "wang", "first-password-1", "")
	if err != nil {
		t.Fatalf("the new user cannot sign in: %v", err)
	}

	// Change role and team.
	id := strconv.FormatInt(wang.ID, 10)
	if code, body := post(auth.Admin, "/admin/users/"+id, form("roles", "supervisor", "roles", "negotiator", "team_id", "")); code != http.StatusSeeOther {
		t.Fatalf("change user = %d: %s", code, body)
	}
	wang = findUser(t, e, "wang")
	if !wang.Has(auth.Supervisor) || !wang.Has(auth.Negotiator) || wang.Has(auth.Collector) || wang.TeamID != 0 {
		t.Errorf("after the change: roles %v team %d", wang.Roles, wang.TeamID)
	}
	if code, _ := post(auth.Admin, "/admin/users/"+id, form("roles", "boss")); code != http.StatusUnprocessableEntity {
		t.Errorf("an unknown role = %d, want 422", code)
	}
	if code, _ := post(auth.Admin, "/admin/users/"+id, form("roles", "collector", "team_id", "999999")); code != http.StatusUnprocessableEntity {
		t.Errorf("an unknown team = %d, want 422", code)
	}

	// Disable ends the sessions; enable lets them sign in again.
	if code, _ := post(auth.Admin, "/admin/users/"+id+"/disable", ""); code != http.StatusSeeOther {
		t.Fatalf("disable = %d", code)
	}
	if _, _, err := e.svc.UserBySession(ctx, tok); err == nil {
		t.Error("a disabled user's session still works")
	}
	if _, _, err := e.svc.Login(ctx, "wang", "first-password-1", ""); err == nil {
		t.Error("a disabled user can sign in")
	}
	if _, body := get(auth.Admin, "/admin/users"); !strings.Contains(body, `class="user-disabled"`) {
		t.Error("the list does not show the user as disabled")
	}
	if code, _ := post(auth.Admin, "/admin/users/"+id+"/enable", ""); code != http.StatusSeeOther {
		t.Fatalf("enable = %d", code)
	}
	if _, _, err := e.svc.Login(ctx, "wang", "first-password-1", ""); err != nil {
		t.Errorf("an enabled user cannot sign in: %v", err)
	}
	admin := strconv.FormatInt(e.users[auth.Admin].ID, 10)
	if code, _ := post(auth.Admin, "/admin/users/"+admin+"/disable", ""); code != http.StatusUnprocessableEntity {
		t.Errorf("an admin disabling themselves = %d, want 422", code)
	}

	// Reset the password.
	if code, _ := post(auth.Admin, "/admin/users/"+id+"/password", form("password", "second-password-2")); code != http.StatusSeeOther {
		t.Fatalf("reset password = %d", code)
	}
	if _, _, err := e.svc.Login(ctx, "wang", "first-password-1", ""); err == nil {
		t.Error("the old password still works")
	}
	if _, _, err := e.svc.Login(ctx, "wang", "second-password-2", ""); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	if code, _ := post(auth.Admin, "/admin/users/"+id+"/unlock", ""); code != http.StatusSeeOther {
		t.Errorf("unlock = %d", code)
	}
	if code, _ := post(auth.Admin, "/admin/users/"+id+"/disable", ""); code != http.StatusSeeOther {
		t.Fatalf("disable = %d", code)
	}
	if code, _ := post(auth.Admin, "/admin/users/"+id, form("roles", "collector")); code != http.StatusSeeOther {
		t.Fatalf("change = %d", code)
	}
	if !findUser(t, e, "wang").Disabled {
		t.Error("changing roles re-enabled the user")
	}
}

// TestAdminUsersLocked shows a user locked out by failed sign-ins, and the
// unlock.
func TestAdminUsersLocked(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Borrowers: 5})
	for range 20 {
		_, _, _ = e.svc.LoginFrom(ctx, collect.LoginAttempt{Username: "auditor", Password: "wrong-password!"})
	}
	rec := e.do(t, request{role: auth.Admin, method: "GET", url: "/admin/users"})
	row := userRow(rec.Body.String(), e.users[auth.Auditor].ID)
	if !strings.Contains(row, `class="user-locked"`) || !strings.Contains(row, "/unlock") {
		t.Fatalf("the auditor's row does not show the lock: %s", row)
	}
	id := strconv.FormatInt(e.users[auth.Auditor].ID, 10)
	if rec := e.do(t, request{role: auth.Admin, method: "POST", url: "/admin/users/" + id + "/unlock"}); rec.Code != http.StatusSeeOther {
		t.Fatalf("unlock = %d", rec.Code)
	}
	rec = e.do(t, request{role: auth.Admin, method: "GET", url: "/admin/users"})
	if row := userRow(rec.Body.String(), e.users[auth.Auditor].ID); strings.Contains(row, `class="user-locked"`) {
		t.Error("still locked after the unlock")
	}
	if _, _, err := e.svc.Login(ctx, "auditor", password, ""); err != nil {
		t.Errorf("cannot sign in after the unlock: %v", err)
	}
}

func userRow(page string, id int64) string {
	i := strings.Index(page, `<tr id="user-`+strconv.FormatInt(id, 10)+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</tr>")
	return page[i : i+j]
}

func findUser(t *testing.T, e *env, name string) auth.User {
	t.Helper()
	users, err := e.svc.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Username == name {
			return u
		}
	}
	t.Fatalf("no user %s", name)
	return auth.User{}
}

// multipartBody builds an import form.
func multipartBody(t *testing.T, fields map[string]string, filename, content string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if filename != "" {
		f, err := w.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.Write([]byte(content))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String(), w.FormDataContentType()
}

// TestImportPage uploads files through the console's import page.
func TestImportPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Borrowers: 5})
	upload := func(r auth.Role, fields map[string]string, name, content string) (int, string) {
		body, ct := multipartBody(t, fields, name, content)
		rec := e.do(t, request{role: r, method: "POST", url: "/admin/import", body: body, contentType: ct})
		return rec.Code, rec.Body.String()
	}
	if rec := e.do(t, request{role: auth.Admin, method: "GET", url: "/admin/import"}); rec.Code != 200 ||
		!strings.Contains(rec.Body.String(), `enctype="multipart/form-data"`) || !strings.Contains(rec.Body.String(), "借款人") {
		t.Fatalf("GET /admin/import = %d", rec.Code)
	}
	bad := "external_id,name,national_id\nWEB-B1,赵六,440305199001151232\nWEB-B2,钱七,440305199001151233\n"
	code, body := upload(auth.Admin, map[string]string{"kind": "borrowers"}, "b.csv", bad)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="import-errors"`) ||
		!strings.Contains(body, `<tr class="import-error"><td>3</td><td>national_id</td>`) {
		t.Fatalf("bad file = %d, want 422 with row 3's national_id:\n%s", code, body)
	}
	if strings.Contains(body, `<td>2</td><td>national_id</td>`) {
		t.Error("row 2, which is valid, is reported")
	}
	code, body = upload(auth.Admin, map[string]string{"kind": "borrowers", "dry_run": "1"}, "b.csv", "external_id,name\nWEB-B1,赵六\n")
	if code != 200 || !strings.Contains(body, `<dd id="import-created">1</dd>`) || !strings.Contains(body, "校验通过") {
		t.Fatalf("dry run = %d:\n%s", code, body)
	}
	code, body = upload(auth.Admin, map[string]string{"kind": "borrowers"}, "b.jsonl", `{"external_id":"WEB-B1","name":"赵六"}`+"\n")
	if code != 200 || !strings.Contains(body, `<dd id="import-created">1</dd>`) {
		t.Fatalf("import = %d:\n%s", code, body)
	}
	code, body = upload(auth.Admin, map[string]string{"kind": "borrowers"}, "b.csv", "external_id,name\nWEB-B1,赵六\n")
	if code != 200 || !strings.Contains(body, `<dd id="import-unchanged">1</dd>`) {
		t.Fatalf("import again = %d:\n%s", code, body)
	}
	if code, body := upload(auth.Admin, map[string]string{"kind": "widgets"}, "b.csv", "external_id,name\nX,Y\n"); code != http.StatusUnprocessableEntity || !strings.Contains(body, "kind") {
		t.Errorf("unknown kind = %d", code)
	}
	if code, _ := upload(auth.Admin, map[string]string{"kind": "borrowers"}, "", ""); code != http.StatusUnprocessableEntity {
		t.Errorf("no file = %d", code)
	}
	if code, _ := upload(auth.Supervisor, map[string]string{"kind": "borrowers"}, "b.csv", "external_id,name\nWEB-B9,X\n"); code != http.StatusForbidden {
		t.Errorf("supervisor import = %d, want 403", code)
	}
	// The route takes more than the default 1 MiB form limit.
	var big strings.Builder
	big.WriteString("external_id,name\n")
	for i := 0; big.Len() < 1200<<10; i++ {
		big.WriteString("WEB-BIG-" + strconv.Itoa(i) + ",name " + strings.Repeat("x", 40) + "\n")
	}
	if code, body := upload(auth.Admin, map[string]string{"kind": "borrowers", "dry_run": "1"}, "big.csv", big.String()); code != 200 {
		t.Errorf("a 1.2 MiB file = %d, want 200:\n%.500s", code, body)
	}
}
