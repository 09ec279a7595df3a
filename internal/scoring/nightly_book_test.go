package scoring_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
)

// TestNightlyScoringOfABook times the night's scoring step (without the
// early-warning scan) on an existing book with models in use, for
// scripts/bench_scoring.sh:
//
//	ACCORD_BENCH_SCORING_DB=sqlite:/tmp/book.db ACCORD_BENCH_SCORING_AS_OF=2026-11-23 \
//	    go test -run TestNightlyScoringOfABook -v ./internal/scoring/
//
// The book must be migrated (accord migrate). It prints one JSON line {"seconds", "counts"} and fails when nothing was
// scored. Without the variables it is skipped.
func TestNightlyScoringOfABook(t *testing.T) {
	dsn, day := os.Getenv("ACCORD_BENCH_SCORING_DB"), os.Getenv("ACCORD_BENCH_SCORING_AS_OF")
	if dsn == "" || day == "" {
		t.Skip("ACCORD_BENCH_SCORING_DB and ACCORD_BENCH_SCORING_AS_OF name the book and the night")
	}
	asOf, err := date.Parse(day)
	if err != nil {
		t.Fatalf("ACCORD_BENCH_SCORING_AS_OF: %v", err)
	}
	db, err := sqlstore.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := func() time.Time { return asOf.AddDays(1).Time() }
	svc := collect.New(db, collect.Options{Now: now, Log: log})
	sc := scoring.New(db, svc, scoring.Options{Log: log, NoEarlyWarning: true})
	begin := time.Now()
	counts, err := sc.RunNightly(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	secs := time.Since(begin).Seconds()
	line, _ := json.Marshal(map[string]any{"seconds": secs, "counts": counts})
	os.Stdout.Write(append([]byte("BENCH "), append(line, '\n')...))
	if counts["ew90_champion"]+counts["cure30_champion"]+counts["roll30_champion"] == 0 {
		t.Fatalf("nothing scored: %v (no model in use?)", counts)
	}
}
