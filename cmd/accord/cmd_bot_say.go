package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v3"

	botchat "accord/internal/chat"
	"accord/internal/errs"
	"accord/internal/negotiation"
)

// botSayCommand talks to the stored chatbot as a borrower in the portal's
// chat: one message, the bot's answer, with everything the bot does
// (contact records, promises, tasks) written to the database.
func (m *Main) botSayCommand() *cli.Command {
	return &cli.Command{
		Name:  "say",
		Usage: "send one message to the stored chatbot as borrower --borrower in the portal's chat (acts on the database)",
		Flags: []cli.Flag{
			&cli.Int64Flag{Name: "borrower", Usage: "the borrower's id"},
			&cli.StringFlag{Name: "text", Usage: "the borrower's message"},
			&cli.StringFlag{Name: "message-id", Usage: "the message's id: the same id again gets the first answer and does nothing"},
			&cli.BoolFlag{Name: "json", Usage: "print the answer as JSON"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Int64("borrower") <= 0 {
				return errs.Field("--borrower", "is required (a borrower id)")
			}
			if err := m.open(ctx); err != nil {
				return err
			}
			o := botchat.Options{Log: m.log}
			if n, ok := m.svc.PromiseBook().(*negotiation.Service); ok {
				pol := n.Policy()
				o.PromisePolicy = &pol
			}
			a, err := botchat.New(m.svc, o).PortalMessage(ctx, c.Int64("borrower"), "cli",
				botchat.Message{Text: c.String("text"), ID: c.String("message-id")})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				enc := json.NewEncoder(m.stdout)
				enc.SetEscapeHTML(false)
				return enc.Encode(a)
			}
			for _, r := range a.Replies {
				fmt.Fprintln(m.stdout, r.Text)
				for _, l := range r.Links {
					fmt.Fprintf(m.stdout, "  %s: %s\n", l.Label, l.URL)
				}
			}
			fmt.Fprintf(m.stdout, "  [intent %s action %q ask %q handover %v promise %d task %d]\n",
				a.Intent, a.Action, a.Ask, a.Handover, a.PromiseID, a.TaskID)
			return nil
		},
	}
}
