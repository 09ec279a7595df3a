package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/sqlstore"

	"github.com/urfave/cli/v3"
)

func (m *Main) runCommand() *cli.Command {
	return &cli.Command{
		Name:  "run",
		Usage: "run the nightly cycle for a date: age the portfolio, then open, grade, treat and assign cases, create tasks and messages",
		Description: "Only loans whose state can change that day are aged. Then every borrower with a loan past due or an open case " +
			"is classified (bucket, risk tier, segment), cases open and close, the strategy (or experiment arm) decides treatments, " +
			"cases are assigned, and tasks and outbound messages are created. Running the same date again, or again after a crash, " +
			"ends in the same state and creates nothing new.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "as-of", Usage: "business date YYYY-MM-DD (default: today in Asia/Shanghai)"},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON"},
			&cli.BoolFlag{Name: "list", Usage: "list the recent runs (as-of, status, started, finished, error) instead of running"},
			&cli.IntFlag{Name: "limit", Value: 20, Usage: "with --list: how many runs, newest first (1-1000)"},
			&cli.StringFlag{Name: "cpuprofile", Usage: "write a Go CPU profile of the run to this file (for `go tool pprof`), to find where a slow night spends its time"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if err := m.open(ctx); err != nil {
				return err
			}
			if c.Bool("list") {
				return m.listRuns(ctx, c)
			}
			asOf, err := m.asOf(c)
			if err != nil {
				return err
			}
			if path := c.String("cpuprofile"); path != "" {
				stop, err := startCPUProfile(path)
				if err != nil {
					return err
				}
				defer stop()
			}
			bar := newProgress(m.stderr, "aging")
			sum, err := m.svc.RunCycle(ctx, asOf, bar.Func())
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return json.NewEncoder(m.stdout).Encode(sum)
			}
			fmt.Fprintf(m.stdout, "as of %s: %d loans, %d delinquent, %d aged, %d status changes, in %d ms\n",
				sum.AsOf, sum.Loans, sum.DelinquentLoans, sum.Touched, sum.StatusChanges, sum.DurationMS)
			for _, b := range m.svc.BucketNames() {
				fmt.Fprintf(m.stdout, "  %-4s %d\n", b, sum.ByBucket[b])
			}
			fmt.Fprintf(m.stdout, "cases: %d open (%d opened, %d closed, %d assigned), %d tasks and %d messages created; aging %d ms, casework %d ms\n",
				sum.CasesOpen, sum.CasesOpened, sum.CasesClosed, sum.CasesAssigned, sum.TasksCreated, sum.MessagesQueued, sum.AgingMS, sum.CaseworkMS)
			for _, t := range []string{"low", "medium", "high"} {
				fmt.Fprintf(m.stdout, "  %-7s %d\n", t, sum.ByTier[t])
			}
			return nil
		},
	}
}

// startCPUProfile starts a CPU profile written to path; stop ends it.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, errs.Field("--cpuprofile", "%v", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// listRuns prints the latest nightly runs from the runs table, newest
// first: each run's as-of date, status (running, ok, failed), start,
// duration and the error that stopped a failed one.
func (m *Main) listRuns(ctx context.Context, c *cli.Command) error {
	limit := c.Int("limit")
	if limit < 1 || limit > 1000 {
		return errs.Field("--limit", "must be from 1 to 1000, not %d", limit)
	}
	runs, err := m.svc.Runs(ctx, collect.System("cli"), int(limit))
	if err != nil {
		return err
	}
	if c.Bool("json") {
		if runs == nil {
			runs = []sqlstore.Run{}
		}
		return json.NewEncoder(m.stdout).Encode(runs)
	}
	if len(runs) == 0 {
		fmt.Fprintln(m.stdout, "no runs yet")
		return nil
	}
	fmt.Fprintf(m.stdout, "%-10s  %-7s  %-19s  %9s  %s\n", "as of", "status", "started (UTC)", "duration", "error")
	for _, r := range runs {
		took := "-"
		if !r.FinishedAt.IsZero() {
			took = r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
		}
		fmt.Fprintf(m.stdout, "%-10s  %-7s  %-19s  %9s  %s\n", r.AsOf, r.Status, r.StartedAt.UTC().Format("2006-01-02 15:04:05"), took, r.Error)
	}
	return nil
}
