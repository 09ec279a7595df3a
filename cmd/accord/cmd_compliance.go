package main

import (
	"context"

	"github.com/urfave/cli/v3"

	"accord/internal/calendar"
	"accord/internal/compliance"
)

func (m *Main) complianceCommand() *cli.Command {
	return &cli.Command{
		Name:  "compliance",
		Usage: "the contact governor: collection rules checked before every contact",
		Commands: []*cli.Command{{
			Name:      "check",
			Usage:     "evaluate one proposed contact described in a scenario file (stateless; see docs/GOVERNOR.md)",
			ArgsUsage: "[--file] SCENARIO.json",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "file", Usage: "scenario JSON file ('-' for standard input)"},
				&cli.BoolFlag{Name: "json", Usage: "print the decision as JSON"},
				&cli.BoolFlag{Name: "tenant", Usage: "use the holiday calendar as admins edited it in the database instead of the built-in one"},
			},
			Action: func(ctx context.Context, c *cli.Command) error {
				r, err := m.openInput(c, "give the scenario file to check")
				if err != nil {
					return err
				}
				defer r.Close()
				in, err := compliance.ParseScenario(r)
				if err != nil {
					return err
				}
				cal, err := m.holidays(ctx, c.Bool("tenant"))
				if err != nil {
					return err
				}
				d := compliance.New(cal, nil).Check(in)
				return compliance.Print(m.stdout, d, c.Bool("json"))
			},
		}},
	}
}

func (m *Main) calendarCommand() *cli.Command {
	return &cli.Command{
		Name:  "calendar",
		Usage: "print the statutory holidays and adjusted working days (调休上班日) of a year",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "year", Required: true},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
			&cli.BoolFlag{Name: "tenant", Usage: "the calendar as admins edited it in the database (the governor's), not the built-in one"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			cal, err := m.holidays(ctx, c.Bool("tenant"))
			if err != nil {
				return err
			}
			return calendar.Print(m.stdout, cal, int(c.Int("year")), c.Bool("json"))
		},
	}
}

// holidays returns the built-in calendar, or with tenant the one the
// governor applies: the built-in data with the years admins edited
// replaced (read from the database).
func (m *Main) holidays(ctx context.Context, tenant bool) (*calendar.Calendar, error) {
	if !tenant {
		return calendar.Default(), nil
	}
	if err := m.open(ctx); err != nil {
		return nil, err
	}
	cal, _, err := m.svc.HolidayCalendar(ctx)
	return cal, err
}
