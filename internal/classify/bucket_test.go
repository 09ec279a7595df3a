package classify

import (
	"slices"
	"strings"
	"testing"

	"accord/internal/errs"
)

func TestBuckets_Of(t *testing.T) {
	t.Parallel()
	b := DefaultBuckets()
	if err := b.Validate(); err != nil {
		t.Fatalf("DefaultBuckets().Validate() = %v", err)
	}
	tests := []struct {
		dpd      int
		want     string
		wantRank int
	}{
		{-3, "M0", 0}, {0, "M0", 0}, {1, "M1", 1}, {30, "M1", 1}, {31, "M2", 2}, {60, "M2", 2},
		{61, "M3", 3}, {90, "M3", 3}, {91, "M4", 4}, {120, "M4", 4}, {121, "M5", 5},
		{150, "M5", 5}, {151, "M6", 6}, {180, "M6", 6}, {181, "M7+", 7}, {2000, "M7+", 7},
	}
	for _, tt := range tests {
		if got := b.Of(tt.dpd); got != tt.want {
			t.Errorf("Of(%d) = %q, want %q", tt.dpd, got, tt.want)
		}
		if got := b.Rank(tt.dpd); got != tt.wantRank {
			t.Errorf("Rank(%d) = %d, want %d", tt.dpd, got, tt.wantRank)
		}
	}
	if got, want := b.Names(), []string{"M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	if got := b.RankOf("M3"); got != 3 {
		t.Errorf("RankOf(M3) = %d, want 3", got)
	}
	if got := b.RankOf("M9"); got != -1 {
		t.Errorf("RankOf(M9) = %d, want -1", got)
	}
}

func TestBuckets_Custom(t *testing.T) {
	t.Parallel()
	b := Buckets{{"C", 0, 0}, {"D1", 1, 7}, {"D2", 8, 29}, {"X", 30, Open}}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	for dpd, want := range map[int]string{0: "C", 7: "D1", 8: "D2", 29: "D2", 30: "X"} {
		if got := b.Of(dpd); got != want {
			t.Errorf("Of(%d) = %q, want %q", dpd, got, want)
		}
	}
}

func TestBuckets_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		b         Buckets
		wantField string
		wantMsg   string
	}{
		{"empty", Buckets{}, "buckets", "required"},
		{"does not start at 0", Buckets{{"A", 1, 30}, {"B", 31, Open}}, "buckets[0].min_dpd", "start at 0"},
		{"gap", Buckets{{"A", 0, 30}, {"B", 32, Open}}, "buckets[1].min_dpd", "must be 31"},
		{"overlap", Buckets{{"A", 0, 30}, {"B", 30, Open}}, "buckets[1].min_dpd", "must be 31"},
		{"last closed", Buckets{{"A", 0, 30}, {"B", 31, 60}}, "buckets[1].max_dpd", "must be open"},
		{"open in the middle", Buckets{{"A", 0, Open}, {"B", 31, Open}}, "buckets[0].max_dpd", "only the last"},
		{"descending", Buckets{{"A", 0, 0}, {"B", 1, 0}, {"C", 1, Open}}, "buckets[1].max_dpd", "before min_dpd"},
		{"duplicate name", Buckets{{"A", 0, 0}, {"A", 1, Open}}, "buckets[1].name", "used twice"},
		{"missing name", Buckets{{"", 0, Open}}, "buckets[0].name", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.b.Validate()
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("Validate() = %v, want an Invalid error", err)
			}
			for _, f := range errs.FieldsOf(err) {
				if f.Field == tt.wantField && strings.Contains(f.Message, tt.wantMsg) {
					return
				}
			}
			t.Errorf("Validate() fields = %v, want %s containing %q", errs.FieldsOf(err), tt.wantField, tt.wantMsg)
		})
	}
}

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.Buckets = Buckets{{"A", 0, 10}}
	c.Tiers.Tiers = nil
	err := c.Validate()
	if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "Bucket ladder") || !strings.Contains(err.Error(), "Risk tier matrix") {
		t.Errorf("Validate() = %v, want both faults", err)
	}
}
