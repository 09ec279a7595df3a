package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"accord/internal/borrower"
	"accord/internal/collect"
	"accord/internal/notify/smsgw"
	"accord/internal/outbox"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// zoneAt returns a fixed-offset IANA zone (Etc/GMT±N) whose local hour now
// is hour, so that tests of the real clock are deterministic.
func zoneAt(t *testing.T, hour int) string {
	t.Helper()
	now := time.Now().UTC()
	off := hour - now.Hour() // local = UTC + off
	for off > 14 {
		off -= 24
	}
	for off < -12 {
		off += 24
	}
	switch {
	case off == 0:
		return "Etc/GMT"
	case off > 0:
		return fmt.Sprintf("Etc/GMT-%d", off) // POSIX signs are inverted
	default:
		return fmt.Sprintf("Etc/GMT+%d", -off)
	}
}

// ctCLI is a database for CLI tests with one borrower in zone.
type ctCLI struct {
	dsn string
	key string
	db  *sqlstore.DB
	b   borrower.Borrower
}

func newCtCLI(t *testing.T, zone string) *ctCLI {
	t.Helper()
	key := hex.EncodeToString(bytes.Repeat([]byte{7}, 32))
	t.Setenv("ACCORD_SECRET_KEY", key)
	c := &ctCLI{dsn: "sqlite:" + filepath.Join(t.TempDir(), "accord.db"), key: key}
	k, err := pii.LoadKey(key, "")
	if err != nil {
		t.Fatal(err)
	}
	cipher, err := pii.NewCipher(k)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if c.db, err = sqlstore.Open(ctx, c.dsn, cipher); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.db.Close() })
	if err := c.db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c.b = borrower.Borrower{ExternalID: "B-CLI", Name: "张三", TimeZone: zone,
		Phones: []borrower.Phone{{Number: "+8613800138000", Kind: "mobile"}}}
	if err := c.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.CreateBorrower(ctx, &c.b) }); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *ctCLI) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := NewMain(strings.NewReader(""), &out, &errOut)
	code := m.Run(context.Background(), append([]string{"accord", "--db", c.dsn, "--log-level", "error"}, args...))
	m.Close()
	return code, out.String(), errOut.String()
}

// TestCLI_ContactThroughGovernor: the CLI cannot record a contact the
// governor refuses.
func TestCLI_ContactThroughGovernor(t *testing.T) {
	c := newCtCLI(t, zoneAt(t, 23)) // 23:xx where the borrower is
	code, out, errOut := c.run(t, "contact", "check", "--borrower", "B-CLI", "--json")
	if code != 0 || !strings.Contains(out, `"decision":"block"`) || !strings.Contains(out, "CN-TIME-QUIET") {
		t.Fatalf("contact check: %d %s %s", code, out, errOut)
	}
	code, out, errOut = c.run(t, "contact", "log", "--borrower", "B-CLI", "--outcome", "connected")
	if code != 1 || !strings.Contains(out, "CN-TIME-QUIET") || !strings.Contains(errOut, "refused") {
		t.Fatalf("contact log at night: %d %s %s", code, out, errOut)
	}
	var performed int
	ctx := context.Background()
	_ = c.db.Read(ctx, func(tx *sqlstore.Tx) error {
		return tx.Inspect(ctx, "SELECT COUNT(*) FROM contact_attempts WHERE performed = ?", true).Scan(&performed)
	})
	if performed != 0 {
		t.Errorf("%d contacts recorded as made", performed)
	}
	if code, _, _ := c.run(t, "contact", "log", "--borrower", "NOBODY"); code != 1 {
		t.Errorf("unknown borrower: exit %d", code)
	}
	code, out, _ = c.run(t, "calendar", "--year", "2026", "--tenant")
	if code != 0 || !strings.Contains(out, "2026-02-14") {
		t.Errorf("calendar --tenant: %d %s", code, out)
	}
}

// TestCLI_OutboxRun delivers the outbox once through a test SMS gateway
// configured by the environment.
func TestCLI_OutboxRun(t *testing.T) {
	c := newCtCLI(t, zoneAt(t, 12))
	gw := smsgw.Start(t)
	ctx := context.Background()
	svc := collect.New(c.db, collect.Options{})
	m := outbox.Message{BorrowerID: c.b.ID, Channel: outbox.SMS, To: "+8613800138000", Body: "您好，请尽快还款。", DedupKey: "cli-1"}
	if err := c.db.InTx(ctx, func(tx *sqlstore.Tx) error { _, err := svc.QueueMessage(ctx, tx, &m); return err }); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := c.run(t, "outbox", "run", "--once"); code != 2 || !strings.Contains(errOut, "ACCORD_SMS_URL") {
		t.Errorf("without a channel: %d %s", code, errOut)
	}
	t.Setenv("ACCORD_SMS_URL", gw.URL())
	t.Setenv("ACCORD_SMS_APP_KEY", smsgw.AppKey)
	t.Setenv("ACCORD_SMS_APP_SECRET", smsgw.AppSecret)
	t.Setenv("ACCORD_SMS_SIGN", "【某某消费金融】")
	code, out, errOut := c.run(t, "outbox", "run", "--once")
	if code != 0 || !strings.Contains(out, "sent 1") || len(gw.Messages()) != 1 {
		t.Fatalf("outbox run: %d %q %s; gateway %d", code, out, errOut, len(gw.Messages()))
	}
	t.Setenv("ACCORD_SENDER_INTERVAL", "soon")
	if code, _, _ := c.run(t, "outbox", "run", "--once"); code != 2 {
		t.Errorf("bad interval: exit %d", code)
	}
}

func TestDeliveryConfig(t *testing.T) {
	env := map[string]string{"ACCORD_SMTP_HOST": "smtp.example.cn", "ACCORD_SMTP_PORT": "587", "ACCORD_SMTP_PASSWORD": "s3cret",
		"ACCORD_SMTP_FROM": "某某消费金融 <notice@lender.example.cn>", "ACCORD_SMS_URL": "https://sms.example.cn/send",
		"ACCORD_SMS_APP_KEY": "k", "ACCORD_SMS_APP_SECRET": "topsecret", "ACCORD_SMS_SIGN": "【某某】", "ACCORD_SENDER_BATCH": "20"}
	cfg, err := deliveryConfig(func(k string) string { return env[k] })
	if err != nil || cfg.SMTP.Port != 587 || cfg.Batch != 20 || cfg.Interval != 5*time.Second {
		t.Fatalf("deliveryConfig = %+v, %v", cfg, err)
	}
	r, err := cfg.Router()
	if err != nil || len(r) != 2 {
		t.Errorf("Router = %v, %v", r, err)
	}
	if logged := cfg.LogValue().String(); strings.Contains(logged, "s3cret") || strings.Contains(logged, "topsecret") {
		t.Errorf("secrets logged: %s", logged)
	}
	env["ACCORD_SMTP_PORT"] = "x"
	if _, err := deliveryConfig(func(k string) string { return env[k] }); err == nil {
		t.Error("a bad port was accepted")
	}
	none, _ := deliveryConfig(func(string) string { return "" })
	if r, err := none.Router(); r != nil || err != nil {
		t.Errorf("no channel: %v, %v", r, err)
	}
}
