package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// TestLoadPlans: on a small demo aged one night, accord-load plans puts
// the first open cases under plans through the negotiation use cases —
// each plan with its accepted agreement, approved offer and restructured
// loans, as negotiators would leave them — and says so when the portfolio
// has fewer open cases than plans asked for.
func TestLoadPlans(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	keyFile, dsn := filepath.Join(dir, "k"), "sqlite:"+filepath.Join(dir, "d.db")
	asOf := date.MustParse("2026-03-03")
	key, err := pii.LoadKey("", keyFile)
	if err != nil {
		t.Fatal(err)
	}
	cipher, err := pii.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(ctx, dsn, cipher)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc := collect.New(db, collect.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if _, err := svc.LoadDemo(ctx, collect.DemoOptions{Borrowers: 300, Seed: 1, AsOf: asOf.AddDays(-2)}, nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range []auth.Role{auth.Admin, auth.Supervisor} {
		if _, err := svc.CreateUser(ctx, collect.System("test"), auth.User{Username: string(r), Roles: []auth.Role{r}},
			"correct horse battery staple"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.LoadDemoCasework(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RunCycle(ctx, asOf.AddDays(-1), nil); err != nil {
		t.Fatal(err)
	}
	db.Close()

	res, err := loadPlans(ctx, dsn, keyFile, 12, asOf)
	if err != nil {
		t.Fatalf("loadPlans: %v (%+v)", err, res)
	}
	kinds := 0
	for _, n := range res.ByKind {
		kinds += n
	}
	if res.Plans != 12 || kinds != 12 || res.AsOf != asOf.String() {
		t.Errorf("result %+v", res)
	}
	db, err = sqlstore.Open(ctx, dsn, cipher)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q string) int {
		var n int
		if err := db.Read(ctx, func(tx *sqlstore.Tx) error { return tx.Inspect(ctx, q).Scan(&n) }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for q, want := range map[string]int{
		"SELECT COUNT(*) FROM plans WHERE status = 'active' AND start_on = '2026-03-03'":                   12,
		"SELECT COUNT(*) FROM negotiation_agreements WHERE status = 'accepted' AND method = 'signed_copy'": 12,
		"SELECT COUNT(DISTINCT p.id) FROM plans p JOIN negotiation_agreements a ON a.id = p.agreement_id":  12,
		"SELECT COUNT(*) FROM negotiation_offers WHERE status = 'accepted' AND decided_by = 'admin'":       12,
		"SELECT COUNT(*) FROM audit_events WHERE action = 'plan.activate'":                                 12,
	} {
		if got := count(q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	if got := count("SELECT COUNT(*) FROM loans WHERE status = 'restructured'"); got < 12 {
		t.Errorf("%d restructured loans, want at least 12", got)
	}

	_, err = loadPlans(ctx, dsn, keyFile, 100_000, asOf)
	if err == nil || !strings.Contains(err.Error(), "100000 wanted") {
		t.Errorf("more plans than open cases: %v", err)
	}
}
