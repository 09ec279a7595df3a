package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v3"

	"accord/internal/errs"
	"accord/internal/model"
)

func (m *Main) modelCommand() *cli.Command {
	return &cli.Command{
		Name:  "model",
		Usage: "train and run scoring models on a CSV table, or on the database's history with approval (see docs/SCORING.md)",
		Commands: []*cli.Command{
			m.modelTrainCommand(), m.modelScoreCommand(), m.modelPSICommand(),
			m.modelListCommand(), m.modelApproveCommand(), m.modelPromoteCommand(),
		},
	}
}

func (m *Main) modelTrainCommand() *cli.Command {
	return &cli.Command{
		Name:  "train",
		Usage: "train a logistic regression or a scorecard on a CSV table with a header, or on the database's history",
		Description: "With --csv: rows whose --split-column value is train train the model; the others are held out for the test metrics. " +
			"Without a split column one row in five is held out by a fixed hash of its row number. The target and split " +
			"columns are never features.\n\nWithout --csv: trains --target cure30, roll30, ew90 or plan90 (repayment plans kept 90 days, for offers) on the database's history " +
			"(--snapshots dates --every days apart, the latest held out), stores the model as a version waiting for " +
			"approval by another user (accord model approve), acting as --as.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "csv", Usage: "the table (comma-separated, header row); without it, train on the database"},
			&cli.StringFlag{Name: "target", Required: true, Usage: "the column to predict (database: cure30, roll30, ew90 or plan90)"},
			&cli.StringFlag{Name: "positive", Usage: "the target value the score is the probability of (with --csv)"},
			&cli.StringFlag{Name: "split-column", Usage: "column whose value train marks the training rows"},
			&cli.StringFlag{Name: "kind", Value: string(model.Logistic), Usage: "logistic or scorecard"},
			&cli.Float64Flag{Name: "l2", Usage: "L2 penalty λ (0: none)"},
			&cli.StringSliceFlag{Name: "ignore", Usage: "columns that are not features (comma-separated or repeated)"},
			&cli.Float64Flag{Name: "base-score", Value: 600, Usage: "scorecard: the points at the base odds"},
			&cli.Float64Flag{Name: "base-odds", Value: 1, Usage: "scorecard: the odds (positive:negative) the base score stands for"},
			&cli.Float64Flag{Name: "pdo", Value: 20, Usage: "scorecard: the points that double the odds"},
			&cli.StringFlag{Name: "out", Usage: "where to write the model (JSON; with --csv)"},
			&cli.BoolFlag{Name: "json", Usage: "print the model as JSON instead of a summary"},
		}, modelDBTrainFlags...),
		Action: func(ctx context.Context, c *cli.Command) error {
			kind := model.Kind(c.String("kind"))
			if c.String("csv") == "" {
				if kind != model.Logistic && kind != model.Scorecard {
					return errs.Field("--kind", "%q is not logistic or scorecard", kind)
				}
				return m.modelTrainDB(ctx, c)
			}
			if c.String("positive") == "" {
				return errs.Field("--positive", "give the target value the score is the probability of")
			}
			if c.String("out") == "" {
				return errs.Field("--out", "give the file to write the model to")
			}
			if kind != model.Logistic && kind != model.Scorecard {
				return errs.Field("--kind", "%q is not logistic or scorecard", kind)
			}
			opt := model.Options{Kind: kind, L2: c.Float64("l2")}
			if kind == model.Scorecard {
				pts, err := model.NewPoints(c.Float64("base-score"), c.Float64("base-odds"), c.Float64("pdo"))
				if err != nil {
					return err
				}
				opt.Points = pts
			}
			f, err := os.Open(c.String("csv"))
			if err != nil {
				return errs.Field("--csv", "%v", err)
			}
			defer f.Close()
			var ignore []string
			for _, v := range c.StringSlice("ignore") {
				for _, s := range strings.Split(v, ",") {
					if s = strings.TrimSpace(s); s != "" {
						ignore = append(ignore, s)
					}
				}
			}
			ds, err := model.ReadCSV(f, model.ReadOptions{Target: c.String("target"), Positive: c.String("positive"),
				Split: c.String("split-column"), Ignore: ignore})
			if err != nil {
				return err
			}
			mod, err := model.Train(ds, opt)
			if err != nil {
				return err
			}
			if err := writeModel(c.String("out"), mod); err != nil {
				return err
			}
			if c.Bool("json") {
				return mod.Write(m.stdout)
			}
			if err := mod.Print(m.stdout); err != nil {
				return err
			}
			split := "one row in five held out by a hash of the row number"
			if s := c.String("split-column"); s != "" {
				split = fmt.Sprintf("rows with %s = train", s)
			}
			_, err = fmt.Fprintf(m.stdout, "\ntraining rows: %s\nwrote %s\n", split, c.String("out"))
			return err
		},
	}
}

func writeModel(path string, mod *model.Model) error {
	f, err := os.Create(path)
	if err != nil {
		return errs.Field("--out", "%v", err)
	}
	if err := mod.Write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readModel(path string) (*model.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errs.Field("--model", "%v", err)
	}
	defer f.Close()
	return model.Read(f)
}

func (m *Main) modelScoreCommand() *cli.Command {
	return &cli.Command{
		Name:  "score",
		Usage: "score every row of a CSV table with a trained model",
		Description: "Writes row (the 1-based data row), score (the probability of the positive value), points for a " +
			"scorecard, and with --reasons the features that pushed each score most against the training average.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Required: true, Usage: "the model file written by model train"},
			&cli.StringFlag{Name: "csv", Required: true, Usage: "the table to score (header row; the model's columns must be there)"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "where to write the scores (CSV; - for standard output)"},
			&cli.IntFlag{Name: "reasons", Usage: "reason columns per row"},
			&cli.StringFlag{Name: "lang", Value: "zh", Usage: "language of the reasons: zh or en"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if l := c.String("lang"); l != "zh" && l != "en" {
				return errs.Field("--lang", "%q is not zh or en", l)
			}
			mod, err := readModel(c.String("model"))
			if err != nil {
				return err
			}
			in, err := os.Open(c.String("csv"))
			if err != nil {
				return errs.Field("--csv", "%v", err)
			}
			defer in.Close()
			opt := model.ScoreOptions{Reasons: int(c.Int("reasons")), Lang: c.String("lang")}
			if c.String("out") == "-" {
				_, err := mod.ScoreCSV(in, m.stdout, opt)
				return err
			}
			out, err := os.Create(c.String("out"))
			if err != nil {
				return errs.Field("--out", "%v", err)
			}
			n, err := mod.ScoreCSV(in, out, opt)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(c.String("out"))
				return err
			}
			_, err = fmt.Fprintf(m.stdout, "scored %d rows into %s\n", n, c.String("out"))
			return err
		},
	}
}

func (m *Main) modelPSICommand() *cli.Command {
	return &cli.Command{
		Name:  "psi",
		Usage: "population stability index of the score and of each feature of a CSV table against the training rows",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Required: true, Usage: "the model file written by model train"},
			&cli.StringFlag{Name: "csv", Required: true, Usage: "the population to compare (header row)"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			mod, err := readModel(c.String("model"))
			if err != nil {
				return err
			}
			in, err := os.Open(c.String("csv"))
			if err != nil {
				return errs.Field("--csv", "%v", err)
			}
			defer in.Close()
			st, err := mod.StabilityCSV(in)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				enc := json.NewEncoder(m.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			fmt.Fprintf(m.stdout, "rows\t%d\nscore\t%.4f\n", st.Rows, st.Score)
			for _, f := range st.Features {
				fmt.Fprintf(m.stdout, "%s\t%.4f\n", f.Feature, f.PSI)
			}
			return nil
		},
	}
}
