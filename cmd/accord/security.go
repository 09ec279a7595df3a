package main

import (
	"context"
	"os"
	"strconv"
	"time"

	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/notify"
)

// openSecurity sets up what every command that opens the database needs
// beyond it: the audit key and anchor (audit_key.go) and sign-in
// throttling, from the environment:
//
//	ACCORD_LOGIN_USER_FAILURES (5), ACCORD_LOGIN_USER_WINDOW (15m), ACCORD_LOGIN_USER_LOCKOUT (15m)
//	ACCORD_LOGIN_ADDR_FAILURES (20), ACCORD_LOGIN_ADDR_WINDOW (15m), ACCORD_LOGIN_ADDR_LOCKOUT (15m)
func (m *Main) openSecurity(ctx context.Context) error {
	pol, err := loginPolicy(os.Getenv)
	if err != nil {
		return err
	}
	m.svc.SetLoginPolicy(pol)
	return m.openAudit(ctx)
}

func loginPolicy(getenv func(string) string) (collect.LoginPolicy, error) {
	var p collect.LoginPolicy
	num := func(name string, dst *int) error {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return errs.Errorf(errs.Invalid, "%s must be a positive whole number, not %q.", name, v)
			}
			*dst = n
		}
		return nil
	}
	dur := func(name string, dst *time.Duration) error {
		if v := getenv(name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return errs.Errorf(errs.Invalid, "%s must be a duration such as 15m, not %q.", name, v)
			}
			*dst = d
		}
		return nil
	}
	for _, err := range []error{
		num("ACCORD_LOGIN_USER_FAILURES", &p.UserFailures), dur("ACCORD_LOGIN_USER_WINDOW", &p.UserWindow),
		dur("ACCORD_LOGIN_USER_LOCKOUT", &p.UserLockout), num("ACCORD_LOGIN_ADDR_FAILURES", &p.AddrFailures),
		dur("ACCORD_LOGIN_ADDR_WINDOW", &p.AddrWindow), dur("ACCORD_LOGIN_ADDR_LOCKOUT", &p.AddrLockout),
	} {
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

// smsReportAuth returns the verifier of the SMS gateway's delivery-report
// pushes: signed with ACCORD_SMS_REPORT_SECRET, or, when that is unset,
// with the gateway's ACCORD_SMS_APP_SECRET. Without either every push is
// refused (401), and serve says so.
func (m *Main) smsReportAuth() *notify.ReportAuth {
	secret := os.Getenv("ACCORD_SMS_REPORT_SECRET")
	if secret == "" {
		secret = os.Getenv("ACCORD_SMS_APP_SECRET")
	}
	if secret == "" {
		if os.Getenv("ACCORD_SMS_URL") != "" {
			m.log.Warn("SMS delivery reports will be refused: set ACCORD_SMS_REPORT_SECRET (or ACCORD_SMS_APP_SECRET) to the secret the gateway signs them with")
		}
		return nil
	}
	return notify.NewReportAuth(secret)
}
