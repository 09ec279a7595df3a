package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/govalues/decimal"
	"github.com/urfave/cli/v3"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/fieldwork"
	"accord/internal/ledger"
	"accord/internal/negotiation"
	"accord/internal/pii"
	"accord/internal/scoring"
	"accord/internal/sqlstore"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Main is the program: configuration, the open database and service, and
// the HTTP server while serving. End-to-end tests drive it through Run.
type Main struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	cfg            Config
	log            *slog.Logger
	db             *sqlstore.DB
	svc            *collect.Service
	closers        []func() error

	// Ready, if set, receives the HTTP address once serve is listening.
	Ready chan string
}

// NewMain returns a Main writing to the given streams.
func NewMain(stdin io.Reader, stdout, stderr io.Writer) *Main {
	return &Main{stdin: stdin, stdout: stdout, stderr: stderr}
}

// Run parses args and runs the subcommand. It returns the process exit
// status: 0 on success, 2 for invalid input or usage, 1 otherwise.
func (m *Main) Run(ctx context.Context, args []string) int {
	root := m.command()
	usageErrors(root)
	err := root.Run(ctx, args)
	if err == nil {
		return 0
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(m.stderr, "accord:", msg)
		}
		return ec.ExitCode()
	}
	fmt.Fprintln(m.stderr, "accord:", errs.MessageOf(err))
	for _, f := range errs.FieldsOf(err) {
		fmt.Fprintln(m.stderr, "  ", f.String())
	}
	if errs.CodeOf(err) == errs.Internal {
		fmt.Fprintln(m.stderr, "  cause:", err)
		return 1
	}
	if errs.CodeOf(err) == errs.Invalid {
		return 2
	}
	return 1
}

// Close releases what Run opened, newest first.
func (m *Main) Close() {
	for i := len(m.closers) - 1; i >= 0; i-- {
		if err := m.closers[i](); err != nil && m.log != nil {
			m.log.Error("close", "err", err)
		}
	}
	m.closers = nil
}

func (m *Main) command() *cli.Command {
	return &cli.Command{
		Name:    "accord",
		Usage:   "collections and repayment negotiation for consumer-finance lenders",
		Version: version,
		Reader:  m.stdin, Writer: m.stdout, ErrWriter: m.stderr,
		ExitErrHandler: func(context.Context, *cli.Command, error) {}, // Run reports errors
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "db", Usage: "database: sqlite:PATH or postgres://…", Value: "sqlite:./accord.db", Sources: cli.EnvVars("ACCORD_DB")},
			&cli.StringFlag{Name: "key-file", Usage: "PII encryption key file, created (mode 0600) on first run when ACCORD_SECRET_KEY is unset; default: beside the SQLite database, or ./accord.key", Sources: cli.EnvVars("ACCORD_KEY_FILE")},
			&cli.StringFlag{Name: "log-level", Value: "info", Usage: "debug, info, warn or error", Sources: cli.EnvVars("ACCORD_LOG_LEVEL")},
			&cli.StringFlag{Name: "cost-cap", Value: "0.24", Usage: "cap on the annualised comprehensive cost; penalty and fees above it are never demanded", Sources: cli.EnvVars("ACCORD_COST_CAP")},
			&cli.StringFlag{Name: "waterfall", Value: "penalty,late_fee,interest,principal", Usage: "payment allocation order", Sources: cli.EnvVars("ACCORD_WATERFALL")},
			&cli.DurationFlag{Name: "session-ttl", Value: 12 * time.Hour, Usage: "console session lifetime", Sources: cli.EnvVars("ACCORD_SESSION_TTL")},
			&cli.IntFlag{Name: "ew-reminder-days", Value: scoring.DefaultReminderEvery, Usage: "least days between two pre-delinquency reminders to a warned current borrower; 0 turns them off", Sources: cli.EnvVars("ACCORD_EW_REMINDER_DAYS")},
		},
		Before: func(ctx context.Context, c *cli.Command) (context.Context, error) {
			m.cfg = Config{DB: c.String("db"), KeyFile: c.String("key-file"), LogLevel: c.String("log-level"),
				CostCap: c.String("cost-cap"), Waterfall: c.String("waterfall"), Session: c.Duration("session-ttl")}
			m.cfg.ReminderDays = c.Int("ew-reminder-days")
			if m.cfg.KeyFile == "" {
				m.cfg.KeyFile = "accord.key"
				if path, ok := strings.CutPrefix(m.cfg.DB, "sqlite:"); ok {
					m.cfg.KeyFile = filepath.Join(filepath.Dir(path), "accord.key")
				}
			}
			var lvl slog.Level
			_ = lvl.UnmarshalText([]byte(m.cfg.LogLevel))
			m.log = slog.New(slog.NewJSONHandler(m.stderr, &slog.HandlerOptions{Level: lvl}))
			return ctx, m.cfg.Validate()
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Args().Len() > 0 {
				return errs.Errorf(errs.Invalid, "Unknown command %q (see accord --help).", c.Args().First())
			}
			return cli.ShowRootCommandHelp(c)
		},
		Commands: []*cli.Command{
			m.serveCommand(), m.migrateCommand(), m.demoCommand(), m.importCommand(), m.runCommand(),
			m.scheduleCommand(), m.userCommand(), m.auditCommand(), m.complianceCommand(), m.calendarCommand(), m.openapiCommand(),
			m.contactCommand(), m.outboxCommand(), m.simulateCommand(), m.negotiateCommand(),
			m.visitCommand(),
			m.modelCommand(),
			m.botCommand(),
			m.gatewayCommand(),
		},
	}
}

// open connects to the database, applies migrations and builds the service.
func (m *Main) open(ctx context.Context) error {
	if m.svc != nil {
		return nil
	}
	key, err := pii.LoadKey(os.Getenv("ACCORD_SECRET_KEY"), m.cfg.KeyFile)
	if err != nil {
		return err
	}
	cipher, err := pii.NewCipher(key)
	if err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, m.cfg.DB, cipher)
	if err != nil {
		return err
	}
	m.closers = append(m.closers, db.Close)
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	pol, err := m.policy()
	if err != nil {
		return err
	}
	m.db = db
	m.svc = collect.New(db, collect.Options{Log: m.log, Policy: pol, SessionTTL: m.cfg.Session})
	negotiation.Wire(m.svc, negotiation.Options{Log: m.log}) // the promise and plan books payments, contacts and the nightly run use
	sc := scoring.Wire(m.svc, scoring.Options{Log: m.log})   // the nightly run scores with the approved models
	m.svc.UseNightly(supportStep(m.svc))                     // the support programme's messages (cmd_negotiate_policy.go)
	m.svc.UseNightly(sc.ReminderStep(m.cfg.ReminderDays))    // pre-delinquency reminders to warned current borrowers (after scoring's warnings)
	m.svc.UseNightly(portalSweep(m.svc))                     // the portal's expired sessions and used sign-in codes (cmd_gateway.go)
	// Field visits: the nightly step (strategy recommendations, notices, lapses).
	fieldwork.Wire(m.svc, m.svc.PromiseBook().(*negotiation.Service), fieldwork.Options{Log: m.log})
	// Offers' chance kept comes from the approved plan model when one is in use.
	m.svc.PromiseBook().(*negotiation.Service).UseKeepSource(sc)
	return m.openSecurity(ctx)
}

func (m *Main) policy() (ledger.Policy, error) {
	pol := ledger.DefaultPolicy()
	cap, err := decimal.Parse(m.cfg.CostCap)
	if err != nil {
		return pol, errs.Field("cost-cap", "%q is not a decimal rate", m.cfg.CostCap)
	}
	pol.CostCap = cap
	var wf ledger.Waterfall
	seen := map[ledger.Component]bool{}
	for _, name := range strings.Split(m.cfg.Waterfall, ",") {
		c := ledger.Component(strings.TrimSpace(name))
		switch c {
		case ledger.Penalty, ledger.LateFee, ledger.Interest, ledger.Principal:
		default:
			return pol, errs.Field("waterfall", "unknown component %q (use penalty, late_fee, interest, principal)", c)
		}
		if seen[c] {
			return pol, errs.Field("waterfall", "%q appears twice", c)
		}
		seen[c] = true
		wf = append(wf, c)
	}
	if len(wf) != 4 {
		return pol, errs.Field("waterfall", "must list all four of penalty, late_fee, interest, principal")
	}
	pol.Waterfall = wf
	return pol, nil
}

// usageErrors makes the command line's own mistakes (an unknown flag, a
// value of the wrong type, a missing required flag) Invalid errors on c and
// every subcommand, so that Run exits 2 for them as for any invalid input,
// instead of 1 with "Internal error.".
func usageErrors(c *cli.Command) {
	c.OnUsageError = func(_ context.Context, cmd *cli.Command, err error, _ bool) error {
		return errs.Errorf(errs.Invalid, "%s (see %s --help)", err, cmd.FullName())
	}
	for _, sub := range c.Commands {
		usageErrors(sub)
	}
}

// asOf reads the --as-of flag of c: a business date, today in the lender's
// zone when unset.
func (m *Main) asOf(c *cli.Command) (date.Date, error) {
	v := c.String("as-of")
	if v == "" {
		return m.svc.Today(), nil
	}
	d, err := date.Parse(v)
	if err != nil {
		return 0, errs.Field("--as-of", "%s", errs.MessageOf(err))
	}
	return d, nil
}
