package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v3"
)

func (m *Main) auditCommand() *cli.Command {
	return &cli.Command{
		Name:  "audit",
		Usage: "the hash-chained audit log",
		Commands: []*cli.Command{{
			Name:  "verify",
			Usage: "check the whole chain; exit 1 naming the first event that was changed, removed or reordered",
			Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"}},
			Action: func(ctx context.Context, c *cli.Command) error {
				if err := m.open(ctx); err != nil {
					return err
				}
				res, err := m.svc.VerifyAudit(ctx)
				if err != nil {
					return err
				}
				if c.Bool("json") {
					if err := json.NewEncoder(m.stdout).Encode(res); err != nil {
						return err
					}
				} else if res.OK {
					fmt.Fprintf(m.stdout, "audit chain intact: %d events\n", res.Events)
				}
				if !res.OK {
					return cli.Exit(fmt.Sprintf("audit chain broken at event %d: %s", res.FirstBad, res.Reason), 1)
				}
				return nil
			},
		}},
	}
}
