package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v3"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
)

func (m *Main) demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "load a deterministic synthetic portfolio and demo users into an empty database",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "borrowers", Value: 5000, Usage: "how many borrowers"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "the same seed gives the same portfolio"},
			&cli.StringFlag{Name: "as-of", Usage: "payment histories run up to this date (default: today)"},
			&cli.IntFlag{Name: "history-days", Value: 21, Usage: "age the book day by day over this many days before --as-of, so the dashboard has roll rates and daily snapshots (0-366)"},
			&cli.IntFlag{Name: "fail-after", Hidden: true, Usage: "fault injection for tests: fail once this many borrowers are loaded"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if err := m.open(ctx); err != nil {
				return err
			}
			asOf, err := m.asOf(c)
			if err != nil {
				return err
			}
			// All or nothing: a demo that fails is taken back, and one that
			// crashed is taken back by the next (collect.BeginDemo); the
			// audit anchor moves past the head of before the demo only once
			// it is kept (collect.Service.AnchorHead).
			if err := m.svc.BeginDemo(ctx); err != nil {
				return err
			}
			if err := m.loadDemo(ctx, c, asOf); err != nil {
				if uerr := m.svc.AbortDemo(context.WithoutCancel(ctx)); uerr != nil {
					fmt.Fprintln(m.stderr, "accord: the demo failed and could not be taken back now (the next accord demo takes it back first)")
					return errors.Join(err, uerr)
				}
				fmt.Fprintln(m.stderr, "accord: the demo failed and was taken back; the database is as it was before")
				return err
			}
			return m.svc.EndDemo(ctx)
		},
	}
}

// loadDemo loads the demo portfolio, users and department.
func (m *Main) loadDemo(ctx context.Context, c *cli.Command, asOf date.Date) error {
	bar := newProgress(m.stderr, "demo")
	opts := collect.DemoOptions{Borrowers: int(c.Int("borrowers")), Seed: c.Uint64("seed"), AsOf: asOf,
		HistoryDays: int(c.Int("history-days"))}
	if n := int(c.Int("fail-after")); n > 0 {
		opts.Batch = max(1, n/2)
		opts.Fault = func(loaded int) error {
			if loaded >= n {
				return errs.Errorf(errs.Internal, "Injected fault after %d borrowers (--fail-after).", loaded)
			}
			return nil
		}
	}
	res, err := m.svc.LoadDemo(ctx, opts, bar.Set)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "demo portfolio: %d borrowers, %d loans, %d payments as of %s in %d ms\n",
		res.Borrowers, res.Loans, res.Payments, asOf, res.DurationMS)
	pw := os.Getenv("ACCORD_DEMO_PASSWORD")
	if pw == "" {
		pw = "accord-demo-2026"
	}
	for _, r := range auth.Roles {
		name := string(r)
		if name == "admin" {
			name = "admin"
		}
		if _, err := m.svc.CreateUser(ctx, collect.System("demo"), auth.User{Username: name, DisplayName: demoNames[r], Roles: []auth.Role{r}}, pw); err != nil {
			if errs.CodeOf(err) == errs.Conflict {
				continue
			}
			return err
		}
	}
	fmt.Fprintf(m.stdout, "demo users (one per role: admin, supervisor, collector …), password %q\n", pw)
	cw, err := m.svc.LoadDemoCasework(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "demo collections department: %d teams, %d collectors, %d agencies, default strategy published (version %d)\n",
		cw.Teams, cw.Collectors, cw.Agencies, cw.StrategyID)
	fmt.Fprintf(m.stdout, "sign in at http://127.0.0.1:8080 as admin / %s\n", pw)
	return nil
}

var demoNames = map[auth.Role]string{
	auth.Admin: "系统管理员", auth.Supervisor: "催收主管", auth.Collector: "电催专员", auth.FieldAgent: "外访专员",
	auth.Negotiator: "协商专员", auth.Compliance: "合规专员", auth.AgencyAgent: "委外机构", auth.Auditor: "审计员",
}
