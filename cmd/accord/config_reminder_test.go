package main

import (
	"strings"
	"testing"

	"accord/internal/errs"
)

// TestConfig_ReminderDays: the pre-delinquency reminder interval is 0 (off)
// to 365 days; anything else is refused naming the setting.
func TestConfig_ReminderDays(t *testing.T) {
	t.Parallel()
	base := Config{DB: "sqlite:./x.db", CostCap: "0.24", LogLevel: "info"}
	for _, days := range []int{0, 14, 365} {
		c := base
		c.ReminderDays = days
		if err := c.Validate(); err != nil {
			t.Errorf("%d days: %v", days, err)
		}
	}
	for _, days := range []int{-1, 366} {
		c := base
		c.ReminderDays = days
		err := c.Validate()
		if errs.CodeOf(err) != errs.Invalid || !strings.Contains(errs.MessageOf(err), "ACCORD_EW_REMINDER_DAYS") {
			t.Errorf("%d days: %v, want Invalid naming ACCORD_EW_REMINDER_DAYS", days, err)
		}
	}
}
