package main

import (
	"context"
	"encoding/json"
	"fmt"

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
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if err := m.open(ctx); err != nil {
				return err
			}
			asOf, err := m.asOf(c)
			if err != nil {
				return err
			}
			bar := newProgress(m.stderr, "aging")
			sum, err := m.svc.RunCycle(ctx, asOf, bar.Set)
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
