package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/urfave/cli/v3"

	"accord/internal/collect"
	"accord/internal/errs"
)

func (m *Main) importCommand() *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "import borrowers, contacts, loans or payments from a CSV or JSON-lines file, all or nothing",
		ArgsUsage: "FILE",
		Description: "A file is applied whole or not at all: every invalid row is reported with its row, column and reason, the exit status is 2 " +
			"and nothing is written. Importing the same file again changes nothing. Columns are documented in docs/IMPORT.md.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "kind", Required: true, Usage: "borrowers, contacts, loans or payments"},
			&cli.BoolFlag{Name: "dry-run", Usage: "validate only; write nothing"},
			&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Args().Len() != 1 {
				return errs.Field("FILE", "give exactly one file to import")
			}
			name := c.Args().First()
			f, err := os.Open(name)
			if err != nil {
				return errs.Field("FILE", "%v", err)
			}
			defer f.Close()
			if err := m.open(ctx); err != nil {
				return err
			}
			res, err := m.svc.Import(ctx, collect.System("cli"), c.String("kind"), name, f, c.Bool("dry-run"))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return json.NewEncoder(m.stdout).Encode(res)
			}
			verb := "imported"
			if res.DryRun {
				verb = "validated (dry run, nothing written)"
			}
			fmt.Fprintf(m.stdout, "%s %d %s rows from %s: %d created, %d updated, %d unchanged\n",
				verb, res.Rows, res.Kind, name, res.Created, res.Updated, res.Unchanged)
			return nil
		},
	}
}
