package date

import (
	"testing"
	"time"
)

func TestAddMonthsClamped(t *testing.T) {
	t.Parallel()
	start := MustParse("2026-01-31")
	want := []string{"2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"}
	for i, w := range want {
		if got := start.AddMonthsClamped(i + 1).String(); got != w {
			t.Errorf("2026-01-31 + %d months = %s, want %s", i+1, got, w)
		}
	}
	if got := MustParse("2027-12-31").AddMonthsClamped(2).String(); got != "2028-02-29" {
		t.Errorf("leap year clamp = %s", got)
	}
}

func TestRoundTripAndWeekday(t *testing.T) {
	t.Parallel()
	d := MustParse("2026-02-14")
	if d.String() != "2026-02-14" || d.Weekday() != time.Saturday {
		t.Errorf("2026-02-14 = %s %s", d, d.Weekday())
	}
	if MustParse("1970-01-01").Weekday() != time.Thursday || MustParse("1969-12-31").Weekday() != time.Wednesday {
		t.Error("weekday around the epoch")
	}
	if got := MustParse("2026-03-01").Sub(MustParse("2026-02-01")); got != 28 {
		t.Errorf("Sub = %d", got)
	}
	if d := MustParse("1969-12-31"); d.IsZero() || d.String() != "1969-12-31" {
		t.Error("1969-12-31 is not the zero date")
	}
	if d := MustParse("0001-01-01"); d.IsZero() || d.String() != "0001-01-01" {
		t.Errorf("0001-01-01 = %d", d)
	}
	var z Date
	if !z.IsZero() || z.String() != "" {
		t.Error("zero date")
	}
	if _, err := Parse("2026-02-30"); err == nil {
		t.Error("2026-02-30 parsed")
	}
}
