package calendar

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"accord/internal/date"
	"accord/internal/errs"
)

func TestCalendar_Kind(t *testing.T) {
	t.Parallel()
	cal := Default()
	tests := []struct {
		day  string
		want DayKind
	}{
		{"2026-02-14", AdjustedWorkday}, // Saturday worked before Spring Festival
		{"2026-02-28", AdjustedWorkday}, // Saturday worked after Spring Festival
		{"2026-02-21", Holiday},         // Saturday inside the Spring Festival break
		{"2026-02-15", Holiday},
		{"2026-02-23", Holiday},
		{"2026-02-24", WorkingDay},
		{"2026-02-07", Weekend},
		{"2026-01-04", AdjustedWorkday},
		{"2026-10-08", WorkingDay},
		{"2025-10-08", Holiday},
		{"2025-10-11", AdjustedWorkday},
		{"2025-01-27", WorkingDay},
		{"2027-02-06", Weekend}, // not covered: weekday rule only
	}
	for _, tt := range tests {
		t.Run(tt.day, func(t *testing.T) {
			d := date.MustParse(tt.day)
			if got := cal.Kind(d); got != tt.want {
				t.Errorf("Kind(%s) = %s, want %s", tt.day, got, tt.want)
			}
			wantWorking := tt.want == WorkingDay || tt.want == AdjustedWorkday
			if got := cal.IsWorkingDay(d); got != wantWorking {
				t.Errorf("IsWorkingDay(%s) = %v", tt.day, got)
			}
			if got := cal.IsHoliday(d); got != (tt.want == Holiday) {
				t.Errorf("IsHoliday(%s) = %v", tt.day, got)
			}
		})
	}
}

func TestDefault_Years(t *testing.T) {
	t.Parallel()
	cal := Default()
	if got := cal.Years(); len(got) != 2 || got[0] != 2025 || got[1] != 2026 {
		t.Fatalf("Years() = %v", got)
	}
	// Counts from the State Council notices (COMPLIANCE.md §1.6).
	for _, tt := range []struct{ year, holidays, adjusted int }{{2025, 28, 5}, {2026, 33, 6}} {
		s := cal.Summarize(tt.year)
		if s.Holidays != tt.holidays || s.AdjustedWorkdays != tt.adjusted {
			t.Errorf("%d: %+v, want %d holidays and %d adjusted working days", tt.year, s, tt.holidays, tt.adjusted)
		}
		if s.Holidays+s.WorkingDays+s.WeekendDays != s.Days {
			t.Errorf("%d: kinds do not add up: %+v", tt.year, s)
		}
	}
	if d := cal.Day(date.MustParse("2026-02-17")); d.Name.ZH != "春节" || d.Name.EN != "Spring Festival" {
		t.Errorf("name of 2026-02-17 = %+v", d.Name)
	}
	if y := cal.Year(2026); len(y) != 39 || y[0].Date.String() != "2026-01-01" || y[38].Date.String() != "2026-10-10" {
		t.Errorf("Year(2026) has %d days from %v", len(y), y)
	}
}

func TestParse_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		entries []Entry
		want    []string // "row field"
	}{
		{"bad date", []Entry{{Line: 4, Date: "2026-02-30", Kind: "holiday", NameZH: "春节", NameEN: "Spring Festival"}}, []string{"4 date"}},
		{"bad kind", []Entry{{Date: "2026-02-15", Kind: "festival", NameZH: "春节", NameEN: "Spring Festival"}}, []string{"1 kind"}},
		{"both kinds", []Entry{
			{Date: "2026-02-14", Kind: "adjusted_workday", NameZH: "调休", NameEN: "Adjusted"},
			{Date: "2026-02-14", Kind: "holiday", NameZH: "春节", NameEN: "Spring Festival"},
		}, []string{"2 date"}},
		{"adjusted weekday", []Entry{{Date: "2026-02-13", Kind: "adjusted_workday", NameZH: "调休", NameEN: "Adjusted"}}, []string{"1 kind"}},
		{"names", []Entry{{Date: "2026-02-15", Kind: "holiday"}}, []string{"1 name_zh", "1 name_en"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.entries)
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("Parse() error = %v, want Invalid", err)
			}
			var got []string
			for _, f := range errs.FieldsOf(err) {
				got = append(got, strconv.Itoa(f.Row)+" "+f.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("fields = %v, want %v (%v)", got, tt.want, err)
			}
		})
	}
}

func TestLoad_NamesLine(t *testing.T) {
	t.Parallel()
	src := "# comment\ndate,kind,name_zh,name_en\n2026-01-01,holiday,元旦,New Year's Day\n2026-13-01,holiday,元旦,New Year's Day\n"
	_, err := Load(strings.NewReader(src))
	f := errs.FieldsOf(err)
	if len(f) != 1 || f[0].Row != 4 || f[0].Field != "date" {
		t.Fatalf("Load() error = %v, fields %+v; want line 4 date", err, f)
	}
	if _, err := Load(strings.NewReader("day,kind\n")); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("bad header: %v", err)
	}
	if _, err := Load(strings.NewReader("date,kind,name_zh,name_en\n2026-01-01,holiday\n")); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("short row: %v", err)
	}
}

func TestNew_RoundTrip(t *testing.T) {
	t.Parallel()
	def := Default()
	cal, err := New(def.Days())
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Days()) != len(def.Days()) || cal.Kind(date.MustParse("2026-02-28")) != AdjustedWorkday {
		t.Error("New(Default().Days()) differs from Default()")
	}
}

func TestPrint(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Print(&buf, Default(), 2026, false); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"2026-02-15 – 2026-02-23", "Sun–Mon", "春节 / Spring Festival", "2026-02-28", "Holidays 33"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	buf.Reset()
	if err := Print(&buf, Default(), 2026, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"kind": "adjusted_workday"`) || !strings.Contains(buf.String(), `"weekday": "Sat"`) {
		t.Errorf("json output:\n%s", buf.String())
	}
	if err := Print(&buf, Default(), 2030, false); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("uncovered year: %v", err)
	}
}
