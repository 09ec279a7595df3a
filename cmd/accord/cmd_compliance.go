package main

import (
	"context"
	"os"

	"github.com/urfave/cli/v3"

	"accord/internal/calendar"
	"accord/internal/compliance"
	"accord/internal/errs"
)

func (m *Main) complianceCommand() *cli.Command {
	return &cli.Command{
		Name:  "compliance",
		Usage: "the contact governor: collection rules checked before every contact",
		Commands: []*cli.Command{{
			Name:      "check",
			Usage:     "evaluate one proposed contact described in a scenario file (stateless; see internal/compliance/SCENARIOS.md)",
			ArgsUsage: "[--file] SCENARIO.json",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "file", Usage: "scenario JSON file ('-' for standard input)"},
				&cli.BoolFlag{Name: "json", Usage: "print the decision as JSON"},
			},
			Action: func(ctx context.Context, c *cli.Command) error {
				name := c.String("file")
				if name == "" {
					name = c.Args().First()
				}
				if name == "" {
					return errs.Field("--file", "give the scenario file to check")
				}
				r := m.stdin
				if name != "-" {
					f, err := os.Open(name)
					if err != nil {
						return errs.Field("--file", "%v", err)
					}
					defer f.Close()
					r = f
				}
				in, err := compliance.ParseScenario(r)
				if err != nil {
					return err
				}
				d := compliance.New(nil, nil).Check(in)
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
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			return calendar.Print(m.stdout, calendar.Default(), int(c.Int("year")), c.Bool("json"))
		},
	}
}
