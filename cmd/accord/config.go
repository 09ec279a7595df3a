package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/errs"
)

// Config is everything Accord reads from flags and ACCORD_* environment
// variables. Flags win over the environment; the environment wins over the
// defaults.
type Config struct {
	DB        string        // ACCORD_DB: sqlite:PATH (default sqlite:./accord.db) or postgres://…
	Addr      string        // ACCORD_ADDR: listen address of serve
	KeyFile   string        // ACCORD_KEY_FILE: where the PII key lives when ACCORD_SECRET_KEY is unset
	LogLevel  string        // ACCORD_LOG_LEVEL: debug, info, warn, error
	CostCap   string        // ACCORD_COST_CAP: annualised comprehensive cost cap, default 0.24
	Waterfall string        // ACCORD_WATERFALL: payment allocation order, default penalty,late_fee,interest,principal
	Session   time.Duration // ACCORD_SESSION_TTL: how long a console session lasts, default 12h
	// ReminderDays is ACCORD_EW_REMINDER_DAYS: the least days between two
	// pre-delinquency reminders to a borrower, default 14; 0 turns them off.
	ReminderDays int
}

// Validate checks the configuration and returns an Invalid error naming the
// first bad setting.
func (c Config) Validate() error {
	if !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return errs.Errorf(errs.Invalid, "--db / ACCORD_DB must be sqlite:PATH or postgres://…, not %q.", c.DB)
	}
	cap, err := decimal.Parse(c.CostCap)
	if err != nil || cap.IsNeg() || cap.Cmp(decimal.One) > 0 {
		return errs.Errorf(errs.Invalid, "ACCORD_COST_CAP must be a rate between 0 and 1, such as 0.24, not %q.", c.CostCap)
	}
	if c.ReminderDays < 0 || c.ReminderDays > 365 {
		return errs.Errorf(errs.Invalid, "--ew-reminder-days / ACCORD_EW_REMINDER_DAYS must be a number of days from 0 (off) to 365, not %d.", c.ReminderDays)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return errs.Errorf(errs.Invalid, "ACCORD_LOG_LEVEL must be debug, info, warn or error, not %q.", c.LogLevel)
	}
	return nil
}

// LogValue logs the configuration with the database password masked.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("db", maskDSN(c.DB)),
		slog.String("addr", c.Addr),
		slog.String("key_file", c.KeyFile),
		slog.String("cost_cap", c.CostCap),
		slog.String("waterfall", c.Waterfall),
		slog.Duration("session_ttl", c.Session),
		slog.Int("ew_reminder_days", c.ReminderDays),
	)
}

func maskDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func (c Config) String() string { return fmt.Sprint(c.LogValue()) }
