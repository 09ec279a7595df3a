package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v3"

	"accord/internal/audit"
	"accord/internal/audit/anchorfile"
	"accord/internal/collect"
)

func (m *Main) auditCommand() *cli.Command {
	return &cli.Command{
		Name:  "audit",
		Usage: "the hash-chained audit log",
		Commands: []*cli.Command{{
			Name: "verify",
			Usage: "check the whole chain, every event's HMAC under the audit key and the anchors kept outside the database; " +
				"exit 1 naming the first event that was changed, removed, reordered, rewritten or cut off the end",
			Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"}},
			Action: func(ctx context.Context, c *cli.Command) error {
				if err := m.open(ctx); err != nil {
					return err
				}
				anchors, err := m.readAnchors()
				if err != nil {
					return cli.Exit(fmt.Sprintf("audit anchors broken: %v", err), 1)
				}
				res, err := m.svc.VerifyAuditAnchored(ctx, anchors)
				if err != nil {
					return err
				}
				if c.Bool("json") {
					if err := json.NewEncoder(m.stdout).Encode(res); err != nil {
						return err
					}
				} else if res.OK {
					fmt.Fprintf(m.stdout, "audit chain intact: %d events, HMAC checked, %d anchors\n", res.Events, res.Anchors)
				}
				if !res.OK {
					return cli.Exit(fmt.Sprintf("audit chain broken at event %d: %s", res.FirstBad, res.Reason), 1)
				}
				return nil
			},
		}, {
			Name: "seal",
			Usage: "give the events written before the audit key existed their HMAC (once, after an upgrade); " +
				"refuses a chain that does not verify",
			Action: func(ctx context.Context, c *cli.Command) error {
				if err := m.open(ctx); err != nil {
					return err
				}
				anchors, err := m.readAnchors()
				if err != nil {
					return cli.Exit(fmt.Sprintf("audit anchors broken: %v", err), 1)
				}
				n, err := m.svc.SealAudit(ctx, collect.System("cli"), anchors)
				if err != nil {
					return cli.Exit(err.Error(), 1)
				}
				fmt.Fprintf(m.stdout, "sealed %d audit events\n", n)
				return nil
			},
		}},
	}
}

// readAnchors reads the audit anchor file, each line checked against the
// audit key.
func (m *Main) readAnchors() ([]audit.Anchor, error) {
	_, path := m.auditPaths()
	return anchorfile.New(path, m.db.AuditKey()).Read()
}
