package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/urfave/cli/v3"

	"accord/internal/bot"
	"accord/internal/date"
	"accord/internal/errs"
)

func (m *Main) botCommand() *cli.Command {
	return &cli.Command{
		Name:  "bot",
		Usage: "the borrower chatbot's understanding engine (see docs/BOT.md)",
		Commands: []*cli.Command{{
			Name:  "parse",
			Usage: "understand one borrower message: intent, date, amount, hardship reason, vulnerability",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "text", Usage: "the borrower's message"},
				&cli.StringFlag{Name: "ref-date", Usage: "the date the message was written (YYYY-MM-DD); 明天 and 15号 are resolved against it"},
				&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"},
			},
			Action: func(ctx context.Context, c *cli.Command) error {
				text := c.String("text")
				if strings.TrimSpace(text) == "" {
					return errs.Field("--text", "give the borrower's message")
				}
				if c.String("ref-date") == "" {
					return errs.Field("--ref-date", "give the date the message was written (YYYY-MM-DD)")
				}
				ref, err := date.Parse(c.String("ref-date"))
				if err != nil {
					return errs.Field("--ref-date", "%s", errs.MessageOf(err))
				}
				r := bot.Parse(text, ref)
				if c.Bool("json") {
					b, err := json.Marshal(r)
					if err != nil {
						return err
					}
					_, err = fmt.Fprintln(m.stdout, string(b))
					return err
				}
				return printParse(m, r)
			},
		}},
	}
}

func printParse(m *Main, r bot.Result) error {
	orNone := func(s string, ok bool) string {
		if !ok {
			return "-"
		}
		return s
	}
	fmt.Fprintf(m.stdout, "intent:     %s\n", r.Intent)
	if len(r.Also) > 0 {
		fmt.Fprintf(m.stdout, "also:       %v\n", r.Also)
	}
	fmt.Fprintf(m.stdout, "date:       %s\n", orNone(r.Date.String(), r.Date != 0))
	fmt.Fprintf(m.stdout, "amount:     %s\n", orNone(r.Amount.String(), r.HasAmount))
	fmt.Fprintf(m.stdout, "reason:     %s\n", orNone(string(r.Reason), r.Reason != ""))
	fmt.Fprintf(m.stdout, "vulnerable: %t\n", r.Vulnerable)
	_, err := fmt.Fprintf(m.stdout, "handover:   %t\n", r.Handover)
	return err
}
