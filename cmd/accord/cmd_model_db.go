package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/features"
	"accord/internal/model"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
)

// The database-backed model commands: train on the lender's history
// (model train without --csv), list, approve, promote. They act as the
// user named by --as (who must exist and hold the permission), so that
// the four-eyes rule (the trainer may not approve) holds at the command
// line too.

var asFlag = &cli.StringFlag{Name: "as", Usage: "act as this console user (their roles decide what is allowed)", Required: true}

// scoringService opens the database and returns the scoring use cases.
func (m *Main) scoringService(ctx context.Context) (*scoring.Service, error) {
	if err := m.open(ctx); err != nil {
		return nil, err
	}
	return scoring.New(m.svc.Store(), m.svc, scoring.Options{Log: m.log}), nil
}

// actorAs returns the user named by --as as an actor. It returns an
// Invalid error naming --as when there is no such enabled user.
func (m *Main) actorAs(ctx context.Context, c *cli.Command) (collect.Actor, error) {
	name := c.String("as")
	var a collect.Actor
	err := m.svc.Store().Read(ctx, func(tx *sqlstore.Tx) error {
		u, err := tx.UserByUsername(ctx, name)
		a.User = u
		return err
	})
	if errs.CodeOf(err) == errs.NotFound || err == nil && a.User.Disabled {
		return a, errs.Field("--as", "no enabled user %q", name)
	}
	return a, err
}

var modelDBTrainFlags = []cli.Flag{
	&cli.StringFlag{Name: "as", Usage: "database training: act as this console user (model:train)"},
	&cli.StringFlag{Name: "as-of", Usage: "database training: the last date whose outcomes are read (default today)"},
	&cli.IntFlag{Name: "snapshots", Value: 4, Usage: "database training: snapshot dates; the latest validates out of time"},
	&cli.IntFlag{Name: "every", Value: 14, Usage: "database training: days between snapshot dates"},
}

// modelTrainDB trains on the database's history (accord model train
// without --csv): --target is cure30, roll30, ew90 or plan90.
func (m *Main) modelTrainDB(ctx context.Context, c *cli.Command) error {
	t, err := features.ParseTarget("--target", c.String("target"))
	if err != nil {
		return err
	}
	if c.String("as") == "" {
		return errs.Field("--as", "give the console user training the model (or --csv to train on a file)")
	}
	r := scoring.TrainRequest{Target: t, Kind: model.Kind(c.String("kind")), L2: c.Float64("l2"),
		Snapshots: int(c.Int("snapshots")), Every: int(c.Int("every"))}
	if s := c.String("as-of"); s != "" {
		if r.AsOf, err = date.Parse(s); err != nil {
			return errs.Field("--as-of", "%q is not a date (2026-03-31)", s)
		}
	}
	sc, err := m.scoringService(ctx)
	if err != nil {
		return err
	}
	by, err := m.actorAs(ctx, c)
	if err != nil {
		return err
	}
	v, sum, err := sc.Train(ctx, by, r)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return modelWriteJSON(m.stdout, map[string]any{"model": v, "summary": sum})
	}
	fmt.Fprintf(m.stdout, "trained %s version %d (id %d, %s) as of %s: %d training rows, %d out-of-time rows from %s, %d positive\n",
		v.Target, v.Version, v.ID, v.Kind, v.TrainedAsOf, sum.TrainRows, sum.ValidateRows, sum.ValidateFrom, sum.Positives)
	printEvalLine(m, "train", &sum.Metrics.Train)
	printEvalLine(m, "out of time", sum.Metrics.Test)
	fmt.Fprintf(m.stdout, "waiting for approval by another user: accord model approve %d --as USER\n", v.ID)
	return nil
}

// modelWriteJSON writes v as indented JSON.
func modelWriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printEvalLine(m *Main, name string, e *model.Eval) {
	if e == nil {
		return
	}
	fmt.Fprintf(m.stdout, "%-12s rows %d  AUC %.4f  KS %.4f  Brier %.4f\n", name, e.Rows, float64(e.AUC), float64(e.KS), float64(e.Brier))
}

func modelIDArg(c *cli.Command) (int64, error) {
	id, err := strconv.ParseInt(c.Args().First(), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Field("ID", "must be a model id (see accord model list), not %q", c.Args().First())
	}
	return id, nil
}

func (m *Main) modelListCommand() *cli.Command {
	return &cli.Command{
		Name:  "list",
		Usage: "the scoring models trained on the database, newest first",
		Flags: []cli.Flag{asFlag, &cli.StringFlag{Name: "target", Usage: "only this target (cure30, roll30, ew90, plan90)"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(ctx context.Context, c *cli.Command) error {
			sc, err := m.scoringService(ctx)
			if err != nil {
				return err
			}
			by, err := m.actorAs(ctx, c)
			if err != nil {
				return err
			}
			list, err := sc.Models(ctx, by, c.String("target"))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				if list == nil {
					list = []sqlstore.ScoreModel{}
				}
				return modelWriteJSON(m.stdout, list)
			}
			tw := tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "id\ttarget\tversion\tkind\tstatus\tshare\tas of\tout-of-time AUC\ttrained by\tapproved by")
			for _, v := range list {
				var sum scoring.Summary
				_ = json.Unmarshal(v.Summary, &sum)
				auc := "-"
				if sum.Metrics.Test != nil {
					auc = fmt.Sprintf("%.4f", float64(sum.Metrics.Test.AUC))
				}
				fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\n", v.ID, v.Target, v.Version, v.Kind, v.Status, v.Share,
					v.TrainedAsOf, auc, v.TrainedBy, v.ApprovedBy)
			}
			return tw.Flush()
		},
	}
}

func (m *Main) modelApproveCommand() *cli.Command {
	return &cli.Command{
		Name:      "approve",
		Usage:     "approve a trained model for use (model:approve; not by its trainer)",
		ArgsUsage: "ID",
		Flags:     []cli.Flag{asFlag},
		Action: func(ctx context.Context, c *cli.Command) error {
			id, err := modelIDArg(c)
			if err != nil {
				return err
			}
			sc, err := m.scoringService(ctx)
			if err != nil {
				return err
			}
			by, err := m.actorAs(ctx, c)
			if err != nil {
				return err
			}
			v, err := sc.Approve(ctx, by, id)
			if err != nil {
				return err
			}
			fmt.Fprintf(m.stdout, "approved %s version %d (id %d); promote it to use it: accord model promote %d --as USER\n",
				v.Target, v.Version, v.ID, v.ID)
			return nil
		},
	}
}

func (m *Main) modelPromoteCommand() *cli.Command {
	return &cli.Command{
		Name:      "promote",
		Usage:     "make an approved model the champion of its target, or the challenger on a share of borrowers",
		ArgsUsage: "ID",
		Flags: []cli.Flag{asFlag,
			&cli.StringFlag{Name: "role", Value: sqlstore.ModelChampion, Usage: "champion or challenger"},
			&cli.Float64Flag{Name: "share", Usage: "challenger: the share of borrowers it scores (0 to 1)"}},
		Action: func(ctx context.Context, c *cli.Command) error {
			id, err := modelIDArg(c)
			if err != nil {
				return err
			}
			sc, err := m.scoringService(ctx)
			if err != nil {
				return err
			}
			by, err := m.actorAs(ctx, c)
			if err != nil {
				return err
			}
			v, err := sc.Promote(ctx, by, id, c.String("role"), c.Float64("share"))
			if err != nil {
				return err
			}
			fmt.Fprintf(m.stdout, "%s version %d (id %d) is now the %s; the next nightly run scores with it (%s)\n",
				v.Target, v.Version, v.ID, v.Status, v.PromotedAt.UTC().Format(time.DateOnly))
			return nil
		},
	}
}
