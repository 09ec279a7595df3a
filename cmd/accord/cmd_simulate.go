package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v3"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/negotiation"
	"accord/internal/pii"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
)

func (m *Main) simulateCommand() *cli.Command {
	return &cli.Command{
		Name:  "simulate",
		Usage: "step the portfolio day by day with the demo behaviour model, running the nightly cycle each day, to compare strategies",
		Description: "Each day current borrowers pay what falls due (unless their behaviour says otherwise), collectors and agencies " +
			"call their queues and take promises from those who answer, borrowers pay or keep promises, then the nightly cycle runs. " +
			"One JSON line per day, then a summary per strategy arm (cure and roll-forward rates, recovery, contacts, cost with " +
			"95% intervals).\n\nThe live database is never changed unless --write is given: on SQLite the simulation runs on a " +
			"copy (VACUUM INTO a temporary file, deleted afterwards unless --keep names a path). PostgreSQL cannot be copied from " +
			"here: create a copy (createdb -T accord accord_sim), point --db at it and pass --write.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "from", Usage: "first simulated day YYYY-MM-DD (default: the day after the last nightly run)"},
			&cli.IntFlag{Name: "days", Value: 30, Usage: "how many days"},
			&cli.BoolFlag{Name: "write", Usage: "simulate on the database itself, keeping the simulated payments and contacts"},
			&cli.StringFlag{Name: "keep", Usage: "SQLite: keep the simulated copy at this path"},
			&cli.Int64Flag{Name: "strategy", Usage: "publish this strategy version (in the copy) before the first day"},
			&cli.Int64Flag{Name: "challenger", Usage: "run an experiment of the published version against this version"},
			&cli.Float64Flag{Name: "share", Value: 0.5, Usage: "the challenger's share of borrowers"},
			&cli.IntFlag{Name: "calls", Value: 60, Usage: "calls per collector per day"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if err := m.open(ctx); err != nil {
				return err
			}
			opts := collect.SimulateOptions{Days: int(c.Int("days")), Strategy: c.Int64("strategy"),
				Challenger: c.Int64("challenger"), ChallengerShare: c.Float64("share"), CallsPerCollector: int(c.Int("calls"))}
			from, err := m.simulateFrom(ctx, c.String("from"))
			if err != nil {
				return err
			}
			opts.From = from
			svc := m.svc
			if !c.Bool("write") {
				if svc, err = m.simulationCopy(ctx, c.String("keep")); err != nil {
					return err
				}
			}
			enc := json.NewEncoder(m.stdout)
			sum, err := svc.Simulate(ctx, opts, func(d collect.SimDay) error { return enc.Encode(d) })
			if err != nil {
				return err
			}
			return enc.Encode(map[string]any{"summary": sum})
		},
	}
}

// simulateFrom parses --from, defaulting to the day after the last run.
func (m *Main) simulateFrom(ctx context.Context, v string) (date.Date, error) {
	if v != "" {
		d, err := date.Parse(v)
		if err != nil {
			return 0, errs.Field("--from", "%s", errs.MessageOf(err))
		}
		return d, nil
	}
	ov, err := m.svc.Overview(ctx, collect.System("simulate"))
	if err != nil {
		return 0, err
	}
	if ov.AsOf.IsZero() {
		return m.svc.Today(), nil
	}
	return ov.AsOf.AddDays(1), nil
}

// simulationCopy copies the SQLite database to keep (or a temporary file,
// removed when the command ends) and returns a service over the copy.
func (m *Main) simulationCopy(ctx context.Context, keep string) (*collect.Service, error) {
	if m.db.Engine() != sqlstore.SQLite {
		return nil, errs.Errorf(errs.Invalid, "simulate runs on a copy of the database and cannot copy PostgreSQL: "+
			"create one (createdb -T accord accord_sim), point --db at it and pass --write.")
	}
	path := keep
	if path == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		path = filepath.Join(os.TempDir(), "accord-simulate-"+hex.EncodeToString(b)+".db")
		m.closers = append(m.closers, func() error {
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				_ = os.Remove(p)
			}
			return nil
		})
	}
	if err := m.db.CopyTo(ctx, path); err != nil {
		return nil, err
	}
	key, err := pii.LoadKey(os.Getenv("ACCORD_SECRET_KEY"), m.cfg.KeyFile)
	if err != nil {
		return nil, err
	}
	cipher, err := pii.NewCipher(key)
	if err != nil {
		return nil, err
	}
	db, err := sqlstore.Open(ctx, "sqlite:"+path, cipher)
	if err != nil {
		return nil, err
	}
	m.closers = append(m.closers, db.Close)
	pol, err := m.policy()
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(m.stderr, "simulating on a copy of the database: %s\n", path)
	svc := collect.New(db, collect.Options{Log: m.log, Policy: pol})
	negotiation.Wire(svc, negotiation.Options{Log: m.log})
	scoring.Wire(svc, scoring.Options{Log: m.log}) // the nightly run it simulates scores with the models in use
	return svc, nil
}
