package main

import (
	"bufio"
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
		Usage: "the borrower chatbot: its understanding engine, and the stored bot (see docs/BOT.md)",
		Commands: []*cli.Command{m.botSayCommand(), {
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
		}, {
			Name:  "chat",
			Usage: "try the dialogue: one borrower message a line on standard input, the bot's reply and action on standard output",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "ref-date", Usage: "the date the messages are written (YYYY-MM-DD)", Required: true},
				&cli.StringFlag{Name: "lang", Value: "zh", Usage: "the bot's language: zh or en"},
			},
			Action: func(ctx context.Context, c *cli.Command) error {
				ref, err := date.Parse(c.String("ref-date"))
				if err != nil {
					return errs.Field("--ref-date", "%s", errs.MessageOf(err))
				}
				lang := bot.Lang(c.String("lang"))
				if lang != bot.Zh && lang != bot.En {
					return errs.Field("--lang", "%q is not zh or en", lang)
				}
				return chat(m, ref, lang)
			},
		}},
	}
}

// chat runs the dialogue over the lines of standard input, printing for
// each the bot's reply and, when there is one, the action with its data.
func chat(m *Main, ref date.Date, lang bot.Lang) error {
	s := bot.State{Lang: lang}
	sc := bufio.NewScanner(m.stdin)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		t := bot.Reply(s, bot.Parse(text, ref), ref)
		s = t.State
		fmt.Fprintf(m.stdout, "> %s\n%s\n", text, t.Text)
		if t.Action != bot.ActNone {
			fmt.Fprintf(m.stdout, "  [%s", t.Action)
			if t.Date != 0 {
				fmt.Fprintf(m.stdout, " date=%s", t.Date)
			}
			if t.HasAmount {
				fmt.Fprintf(m.stdout, " amount=%s", t.Amount)
			}
			if t.Reason != "" {
				fmt.Fprintf(m.stdout, " reason=%s", t.Reason)
			}
			if t.Handover {
				fmt.Fprint(m.stdout, " handover")
			}
			fmt.Fprintln(m.stdout, "]")
		}
	}
	return sc.Err()
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
