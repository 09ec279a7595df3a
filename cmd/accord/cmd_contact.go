package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/jobs"
	"accord/internal/notify"
	"accord/internal/sqlstore"
)

// DeliveryConfig is how messages leave Accord, read from the environment:
//
//	ACCORD_SMTP_HOST, ACCORD_SMTP_PORT, ACCORD_SMTP_USERNAME, ACCORD_SMTP_PASSWORD,
//	ACCORD_SMTP_FROM ("某某消费金融 <notice@lender.example.cn>"), ACCORD_SMTP_TLS (none, starttls, tls),
//	ACCORD_SMTP_MESSAGE_ID_DOMAIN
//	ACCORD_SMS_URL, ACCORD_SMS_APP_KEY, ACCORD_SMS_APP_SECRET or ACCORD_SMS_TOKEN, ACCORD_SMS_SIGN ("【某某消费金融】"),
//	ACCORD_SMS_SIGN_IN_CONTENT, ACCORD_SMS_NATIONAL_NUMBERS, ACCORD_SMS_OUT_ID_PREFIX
//	ACCORD_SENDER (on, off; default on when a channel is configured), ACCORD_SENDER_INTERVAL (5s), ACCORD_SENDER_BATCH (50)
//
// A channel is configured when its host or URL is set.
type DeliveryConfig struct {
	SMTP     notify.SMTPConfig
	SMS      notify.SMSConfig
	Sender   string
	Interval time.Duration
	Batch    int
}

// deliveryConfig reads DeliveryConfig through getenv. It returns an
// Invalid error naming the first malformed variable.
func deliveryConfig(getenv func(string) string) (DeliveryConfig, error) {
	c := DeliveryConfig{Sender: getenv("ACCORD_SENDER"), Interval: 5 * time.Second, Batch: 50}
	num := func(name string, dst *int) error {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return errs.Errorf(errs.Invalid, "%s must be a whole number, not %q.", name, v)
			}
			*dst = n
		}
		return nil
	}
	flag := func(name string) bool { v := getenv(name); return v == "1" || v == "true" || v == "on" }
	c.SMTP = notify.SMTPConfig{Host: getenv("ACCORD_SMTP_HOST"), Username: getenv("ACCORD_SMTP_USERNAME"),
		Password: getenv("ACCORD_SMTP_PASSWORD"), From: getenv("ACCORD_SMTP_FROM"), TLS: notify.TLSMode(getenv("ACCORD_SMTP_TLS")),
		MessageIDDomain: getenv("ACCORD_SMTP_MESSAGE_ID_DOMAIN")}
	c.SMS = notify.SMSConfig{URL: getenv("ACCORD_SMS_URL"), AppKey: getenv("ACCORD_SMS_APP_KEY"), AppSecret: getenv("ACCORD_SMS_APP_SECRET"),
		Token: getenv("ACCORD_SMS_TOKEN"), Sign: getenv("ACCORD_SMS_SIGN"), SignInContent: flag("ACCORD_SMS_SIGN_IN_CONTENT"),
		NationalNumbers: flag("ACCORD_SMS_NATIONAL_NUMBERS"), OutIDPrefix: getenv("ACCORD_SMS_OUT_ID_PREFIX")}
	if err := num("ACCORD_SMTP_PORT", &c.SMTP.Port); err != nil {
		return c, err
	}
	if err := num("ACCORD_SENDER_BATCH", &c.Batch); err != nil {
		return c, err
	}
	if v := getenv("ACCORD_SENDER_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return c, errs.Errorf(errs.Invalid, "ACCORD_SENDER_INTERVAL must be a duration such as 5s, not %q.", v)
		}
		c.Interval = d
	}
	switch c.Sender {
	case "", "on", "off":
	default:
		return c, errs.Errorf(errs.Invalid, "ACCORD_SENDER must be on or off, not %q.", c.Sender)
	}
	return c, nil
}

// Router returns a notify.Sender for the configured channels, or nil when
// none is. It returns an Invalid error for a channel configured badly.
func (c DeliveryConfig) Router() (notify.Router, error) {
	r := notify.Router{}
	if c.SMTP.Host != "" {
		s, err := notify.NewSMTP(c.SMTP)
		if err != nil {
			return nil, err
		}
		r[notify.Email] = s
	}
	if c.SMS.URL != "" {
		s, err := notify.NewSMSGateway(c.SMS)
		if err != nil {
			return nil, err
		}
		r[notify.SMS] = s
	}
	if len(r) == 0 {
		return nil, nil
	}
	return r, nil
}

// LogValue logs the delivery settings with passwords and secrets masked.
func (c DeliveryConfig) LogValue() slog.Value {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "xxxxx"
	}
	return slog.GroupValue(
		slog.String("smtp_host", c.SMTP.Host), slog.Int("smtp_port", c.SMTP.Port), slog.String("smtp_from", c.SMTP.From),
		slog.String("smtp_tls", string(c.SMTP.TLS)), slog.String("smtp_password", mask(c.SMTP.Password)),
		slog.String("sms_url", c.SMS.URL), slog.String("sms_app_key", c.SMS.AppKey),
		slog.String("sms_app_secret", mask(c.SMS.AppSecret)), slog.String("sms_token", mask(c.SMS.Token)),
		slog.String("sender", c.Sender), slog.Duration("interval", c.Interval), slog.Int("batch", c.Batch),
	)
}

// sender returns the outbox sender configured by the environment, or nil
// when no channel is configured or ACCORD_SENDER is off.
func (m *Main) sender() (*jobs.Sender, DeliveryConfig, error) {
	cfg, err := deliveryConfig(os.Getenv)
	if err != nil || cfg.Sender == "off" {
		return nil, cfg, err
	}
	r, err := cfg.Router()
	if err != nil || r == nil {
		return nil, cfg, err
	}
	return &jobs.Sender{Svc: m.svc, Notifier: r, Log: m.log, Interval: cfg.Interval, Batch: cfg.Batch}, cfg, nil
}

// startJobs starts the background loops serve runs beside HTTP (the outbox
// sender, when a delivery channel is configured) and returns the function
// that stops them and waits until they have.
func (m *Main) startJobs(ctx context.Context) (stop func(), err error) {
	s, cfg, err := m.sender()
	if err != nil {
		return nil, err
	}
	if s == nil {
		m.log.Info("outbox sender off: no delivery channel configured")
		return func() {}, nil
	}
	m.log.Info("outbox sender on", "config", cfg)
	jctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Run(jctx)
	}()
	return func() {
		cancel()
		<-done
	}, nil
}

func (m *Main) outboxCommand() *cli.Command {
	return &cli.Command{
		Name:  "outbox",
		Usage: "the outbox of SMS and email: deliver it through the contact governor",
		Commands: []*cli.Command{{
			Name:  "run",
			Usage: "deliver due messages (SMTP and SMS gateway from ACCORD_SMTP_* and ACCORD_SMS_*); each is checked by the governor again",
			Flags: []cli.Flag{&cli.BoolFlag{Name: "once", Usage: "deliver what is due now and exit"}},
			Action: func(ctx context.Context, c *cli.Command) error {
				if err := m.open(ctx); err != nil {
					return err
				}
				s, cfg, err := m.sender()
				if err != nil {
					return err
				}
				if s == nil {
					return errs.Errorf(errs.Invalid, "No delivery channel is configured: set ACCORD_SMTP_HOST or ACCORD_SMS_URL (and ACCORD_SENDER is not off).")
				}
				m.log.Info("sender", "config", cfg)
				if !c.Bool("once") {
					return s.Run(ctx)
				}
				st, err := s.Drain(ctx)
				fmt.Fprintln(m.stdout, st)
				return err
			},
		}},
	}
}

func (m *Main) contactCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "borrower", Usage: "borrower: the lender's customer number", Required: true},
		&cli.StringFlag{Name: "channel", Value: "call", Usage: "call, sms, email, letter, visit …"},
		&cli.StringFlag{Name: "to", Value: "phone:1", Usage: "phone:N, email:N, contact:ID, or a number or address of the borrower's"},
		&cli.StringFlag{Name: "party", Usage: "borrower (default), contact, third_party …"},
		&cli.StringFlag{Name: "purpose", Usage: "collection, reminder, locate, message …"},
		&cli.StringFlag{Name: "text", Usage: "what will be said or written, to screen"},
		&cli.StringFlag{Name: "at", Usage: "when (RFC 3339); default now"},
		&cli.BoolFlag{Name: "json", Usage: "print the decision as JSON"},
	}
	logFlags := append(append([]cli.Flag{}, flags...),
		&cli.StringFlag{Name: "outcome", Usage: "connected, no_answer, busy, invalid_number, voicemail, refused …"},
		&cli.StringFlag{Name: "results", Usage: "comma-separated: promise, dispute, hardship, complaint, cease_request, wrong_party, vulnerable"},
		&cli.StringFlag{Name: "notes"},
		&cli.StringFlag{Name: "recording"},
	)
	return &cli.Command{
		Name:  "contact",
		Usage: "check or record a contact with a borrower, through the contact governor and the tenant's rules",
		Commands: []*cli.Command{{
			Name:  "check",
			Usage: "ask the governor whether a contact may happen (records nothing)",
			Flags: flags,
			Action: func(ctx context.Context, c *cli.Command) error {
				req, err := m.contactRequest(ctx, c)
				if err != nil {
					return err
				}
				res, err := m.svc.CheckContact(ctx, collect.System("cli"), req)
				if err != nil {
					return err
				}
				return printDecision(m, c, res.Decision, res.NextAllowed)
			},
		}, {
			Name:  "log",
			Usage: "record a contact in the contact log; the governor checks it first and a refused contact exits 1",
			Flags: logFlags,
			Action: func(ctx context.Context, c *cli.Command) error {
				req, err := m.contactRequest(ctx, c)
				if err != nil {
					return err
				}
				req.Outcome, req.Notes, req.RecordingRef = compliance.Outcome(c.String("outcome")), c.String("notes"), c.String("recording")
				if r := c.String("results"); r != "" {
					req.Results = strings.Split(r, ",")
				}
				res, err := m.svc.LogContact(ctx, collect.System("cli"), req)
				if perr := printDecision(m, c, res.Decision, res.NextAllowed); perr != nil {
					return perr
				}
				return err
			},
		}},
	}
}

// contactRequest reads the flags of `accord contact`.
func (m *Main) contactRequest(ctx context.Context, c *cli.Command) (collect.ContactRequest, error) {
	if err := m.open(ctx); err != nil {
		return collect.ContactRequest{}, err
	}
	ext := c.String("borrower")
	list, _, err := m.svc.Borrowers(ctx, collect.System("cli"), sqlstore.BorrowerFilter{ExternalID: &ext, Limit: 1})
	if err != nil {
		return collect.ContactRequest{}, err
	}
	if len(list) == 0 {
		return collect.ContactRequest{}, errs.Errorf(errs.NotFound, "Borrower %q not found.", ext)
	}
	req := collect.ContactRequest{BorrowerID: list[0].ID, Channel: compliance.Channel(c.String("channel")), To: c.String("to"),
		Party: compliance.Party(c.String("party")), Purpose: c.String("purpose"), Text: c.String("text")}
	if v := c.String("at"); v != "" {
		if req.StartedAt, err = time.Parse(time.RFC3339, v); err != nil {
			return req, errs.Field("--at", "%q is not an RFC 3339 time", v)
		}
	}
	return req, nil
}

func printDecision(m *Main, c *cli.Command, d compliance.Decision, next time.Time) error {
	if d.Action == "" {
		return nil
	}
	if err := compliance.Print(m.stdout, d, c.Bool("json")); err != nil {
		return err
	}
	if !next.IsZero() && !c.Bool("json") {
		fmt.Fprintf(m.stdout, "next allowed: %s\n", next.In(shanghaiZone()).Format(time.RFC3339))
	}
	return nil
}

func shanghaiZone() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}
