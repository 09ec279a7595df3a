package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestREADMESenderDefaults checks that the README's configuration table
// states the outbox sender defaults deliveryConfig applies when
// ACCORD_SENDER_INTERVAL and ACCORD_SENDER_BATCH are unset.
func TestREADMESenderDefaults(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := func(prefix string) string {
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(line, prefix) {
				return line
			}
		}
		t.Fatalf("README has no row starting %q", prefix)
		return ""
	}
	cfg, err := deliveryConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	sender := row("| `ACCORD_SENDER` ")
	want := fmt.Sprintf("on when a channel is configured, `%s`, `%d`", cfg.Interval, cfg.Batch)
	if !strings.Contains(sender, want) {
		t.Errorf("README sender row %q does not say %q", sender, want)
	}
}
