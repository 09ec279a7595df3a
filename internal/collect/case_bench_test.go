package collect

import (
	"context"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// BenchmarkRunCycle runs the nightly cycle (aging and casework) over a demo
// book, night after night:
//
//	go test -run '^$' -bench RunCycle -benchtime 3x ./internal/collect/
//
// ACCORD_BENCH_BORROWERS sets the book's size (default 5,000 borrowers,
// about 6,700 loans). ACCORD_BENCH_DB=sqlite:PATH runs on an existing
// database instead, with ACCORD_BENCH_KEY naming its key file and
// ACCORD_BENCH_ASOF the first night (default 2026-03-02).
func BenchmarkRunCycle(b *testing.B) {
	ctx := context.Background()
	asOf := date.MustParse("2026-03-02")
	if v := os.Getenv("ACCORD_BENCH_ASOF"); v != "" {
		asOf = date.MustParse(v)
	}
	var db *sqlstore.DB
	if dsn := os.Getenv("ACCORD_BENCH_DB"); dsn != "" {
		key, err := pii.LoadKey("", os.Getenv("ACCORD_BENCH_KEY"))
		if err != nil {
			b.Fatal(err)
		}
		cipher, err := pii.NewCipher(key)
		if err != nil {
			b.Fatal(err)
		}
		if db, err = sqlstore.Open(ctx, dsn, cipher); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
	} else {
		db = storetest.OpenSQLite(b)
		n := 5000
		if v := os.Getenv("ACCORD_BENCH_BORROWERS"); v != "" {
			n, _ = strconv.Atoi(v)
		}
		svc := New(db, Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if _, err := svc.LoadDemo(ctx, DemoOptions{Borrowers: n, Seed: 1, AsOf: asOf.AddDays(-1)}, nil); err != nil {
			b.Fatal(err)
		}
	}
	svc := New(db, Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if _, err := svc.LoadDemoCasework(ctx); err != nil { // a department, unless the database has one
		b.Fatal(err)
	}
	night := asOf
	for b.Loop() {
		start := time.Now()
		sum, err := svc.RunCycle(ctx, night, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: %d cases open (%d opened, %d closed), %d tasks, %d messages; aging %d ms, casework %d ms, total %s",
			night, sum.CasesOpen, sum.CasesOpened, sum.CasesClosed, sum.TasksCreated, sum.MessagesQueued, sum.AgingMS,
			sum.CaseworkMS, time.Since(start).Round(time.Millisecond))
		night = night.AddDays(1)
	}
}

// BenchmarkNextCase measures "Get next case" with 200 collectors asking at
// once, each for their own queue, and reports the 99th percentile:
//
//	go test -run '^$' -bench NextCase -benchtime 50x ./internal/collect/
func BenchmarkNextCase(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenSQLite(b)
	svc := New(db, Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time {
		return time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	}})
	asOf := date.MustParse("2026-03-02")
	if _, err := svc.LoadDemo(ctx, DemoOptions{Borrowers: 20000, Seed: 1, AsOf: asOf.AddDays(-1)}, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.LoadDemoCasework(ctx); err != nil {
		b.Fatal(err)
	}
	// 200 collectors with users, sharing the early queue.
	var actors []Actor
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		teams, err := tx.Teams(ctx)
		if err != nil {
			return err
		}
		for i := range 200 {
			u := auth.User{Username: "c" + strconv.Itoa(i), Roles: []auth.Role{auth.Collector}}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			c := sqlstore.Collector{Collector: casework.Collector{Name: u.Username, Capacity: 50, Active: true}, UserID: u.ID, TeamID: teams[0].ID}
			if err := tx.CreateCollector(ctx, &c); err != nil {
				return err
			}
			actors = append(actors, Actor{User: u})
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.RunCycle(ctx, asOf, nil); err != nil {
		b.Fatal(err)
	}
	// Each iteration is a burst: all 200 collectors press the button at
	// the same moment.
	var lat []time.Duration
	var mu sync.Mutex
	first := -1  // samples of the first burst, which also pays one-time costs (the lexicon, statements, caches)
	claimed := 0 // presses that got a case
	b.ResetTimer()
	for b.Loop() {
		var wg sync.WaitGroup
		for _, a := range actors {
			wg.Add(1)
			go func() {
				defer wg.Done()
				t0 := time.Now()
				_, err := svc.NextCase(ctx, a)
				d := time.Since(t0)
				if err != nil && errs.CodeOf(err) != errs.NotFound {
					b.Error(err)
				}
				mu.Lock()
				lat = append(lat, d)
				if err == nil {
					claimed++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		if first < 0 {
			first = len(lat)
		}
	}
	lat0 := slices.Clone(lat)
	later := slices.Clone(lat[first:])
	slices.Sort(lat)
	slices.Sort(later)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
		b.ReportMetric(float64(claimed), "cases_handed_out")
	}
	if len(later) > 0 {
		b.ReportMetric(float64(later[len(later)*99/100].Microseconds())/1000, "p99_after_first_burst_ms")
	}
	if first > 0 {
		firstBurst := slices.Sorted(slices.Values(lat0[:first]))
		b.ReportMetric(float64(firstBurst[len(firstBurst)-1].Microseconds())/1000, "first_burst_max_ms")
	}
}
