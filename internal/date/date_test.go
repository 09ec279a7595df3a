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

// TestParse_SameAsTimeParse holds the hand-written parser to time.Parse:
// every day of years 0–9999 gives the date time.Parse gives, and strings
// time.Parse refuses are refused.
func TestParse_SameAsTimeParse(t *testing.T) {
	t.Parallel()
	for tm := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 10000; tm = tm.AddDate(0, 0, 1) {
		s := tm.Format(Layout)
		got, err := Parse(s)
		if err != nil || got != FromTime(tm) {
			t.Fatalf("Parse(%q) = %v, %v; want %v", s, got, err, FromTime(tm))
		}
	}
	for _, s := range []string{"", "2026-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-01-00", "2026-04-31",
		"2026-1-01", "2026-01-1", " 2026-01-01", "2026-01-01 ", "+026-01-01", "2026/01/01", "2026-01-32", "abcd-ef-gh",
		"20260101", "2026-01-0a", "10000-01-01", "2026-01-15T00:00:00Z"} {
		_, want := time.Parse(Layout, s)
		if _, err := Parse(s); (err == nil) != (want == nil) {
			t.Errorf("Parse(%q) error %v, time.Parse error %v", s, err, want)
		}
	}
	for _, s := range []string{"2024-02-29", "2000-02-29", "0000-01-01", "9999-12-31", "1969-12-31", "1970-01-01"} {
		want, _ := time.Parse(Layout, s)
		if got, err := Parse(s); err != nil || got != FromTime(want) {
			t.Errorf("Parse(%q) = %v, %v", s, got, err)
		}
	}
}
