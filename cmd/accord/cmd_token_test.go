package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestCLI_UserTokens(t *testing.T) {
	t.Parallel()
	for _, engine := range e2eEngines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			d := newE2EDB(t, engine)
			d.mustRun(t, "user", "create", "--username", "li.wei", "--roles", "admin", "--password", "a good long password")
			tok := strings.TrimSpace(d.mustRun(t, "user", "token", "create", "--username", "li.wei", "--name", "core-sync", "--expires", "30d"))
			old := strings.TrimSpace(d.mustRun(t, "user", "token", "--username", "li.wei", "--name", "legacy"))
			if !strings.HasPrefix(tok, "acc_") || !strings.HasPrefix(old, "acc_") {
				t.Fatalf("tokens printed %q, %q", tok, old)
			}
			list := d.mustRun(t, "user", "token", "list", "li.wei")
			if !strings.Contains(list, "core-sync") || !strings.Contains(list, "legacy") || !strings.Contains(list, "expires") {
				t.Fatalf("token list:\n%s", list)
			}
			if n := d.scalar(t, "SELECT COUNT(*) FROM api_tokens WHERE expires_at IS NULL"); n != 0 {
				t.Errorf("%d tokens without expiry", n)
			}
			id := regexp.MustCompile(`(?m)^(\d+)\s+core-sync`).FindStringSubmatch(list)
			if id == nil {
				t.Fatalf("no id for core-sync in:\n%s", list)
			}
			if out := d.mustRun(t, "user", "token", "revoke", id[1]); !strings.Contains(out, "revoked token "+id[1]) {
				t.Errorf("revoke printed %q", out)
			}
			if n := d.scalar(t, "SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NOT NULL"); n != 1 {
				t.Errorf("%d revoked tokens, want 1", n)
			}
			for _, c := range []struct {
				args      []string
				code      int
				wantInErr string
			}{
				{[]string{"user", "token", "create", "--username", "li.wei", "--name", "x", "--expires", "soon"}, 2, "--expires"},
				{[]string{"user", "token", "create", "--username", "li.wei", "--name", "x", "--expires", "400d"}, 2, "expires"},
				{[]string{"user", "token", "revoke", "abc"}, 2, "ID"},
				{[]string{"user", "token", "revoke", "999"}, 1, "999"},
				{[]string{"user", "token", "list"}, 2, "USERNAME"},
				{[]string{"user", "unlock"}, 2, "USERNAME"},
			} {
				if code, _, errOut := d.run(t, c.args...); code != c.code || !strings.Contains(errOut, c.wantInErr) {
					t.Errorf("accord %s: exit %d, %q; want %d naming %s", strings.Join(c.args, " "), code, errOut, c.code, c.wantInErr)
				}
			}
		})
	}
}

func TestCLI_UserUnlock(t *testing.T) {
	t.Parallel()
	d := newE2EDB(t, "sqlite")
	d.mustRun(t, "user", "create", "--username", "li.wei", "--roles", "admin", "--password", "a good long password")
	d.exec(t, "INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) VALUES "+
		"('user:li.wei', 0, '2026-01-01 00:00:00+00:00', '2999-01-01 00:00:00+00:00'), "+
		"('addr:203.0.113.9', 0, '2026-01-01 00:00:00+00:00', '2999-01-01 00:00:00+00:00')")
	if out := d.mustRun(t, "user", "unlock", "li.wei"); !strings.Contains(out, "unlocked li.wei") {
		t.Errorf("unlock printed %q", out)
	}
	if out := d.mustRun(t, "user", "unlock", "--addr", "203.0.113.9"); !strings.Contains(out, "unlocked 203.0.113.9") {
		t.Errorf("unlock --addr printed %q", out)
	}
	if n := d.count(t, "login_throttle"); n != 0 {
		t.Errorf("%d throttle rows left", n)
	}
	if out := d.mustRun(t, "user", "unlock", "li.wei"); !strings.Contains(out, "no failed sign-ins") {
		t.Errorf("second unlock printed %q", out)
	}
}
