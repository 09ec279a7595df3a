package classify

import (
	"fmt"

	"accord/internal/errs"
)

// Open is the MaxDPD of the last bucket, which has no upper bound.
const Open = -1

// Bucket is a named DPD range, MinDPD to MaxDPD inclusive; the last bucket of
// a ladder has MaxDPD Open.
type Bucket struct {
	Name   string `json:"name"`
	MinDPD int    `json:"min_dpd"`
	MaxDPD int    `json:"max_dpd"`
}

// Buckets is a ladder of buckets: contiguous, ascending, starting at 0 DPD
// and ending with an open bucket, so every DPD falls in exactly one. Its JSON
// form is a list:
//
//	[{"name":"M0","min_dpd":0,"max_dpd":0},{"name":"M1","min_dpd":1,"max_dpd":30},
//	 …,{"name":"M7+","min_dpd":181,"max_dpd":-1}]
type Buckets []Bucket

// DefaultBuckets returns M0 current, M1 1–30, M2 31–60, M3 61–90, M4 91–120,
// M5 121–150, M6 151–180 and M7+ over 180 DPD.
func DefaultBuckets() Buckets {
	return Buckets{
		{"M0", 0, 0}, {"M1", 1, 30}, {"M2", 31, 60}, {"M3", 61, 90},
		{"M4", 91, 120}, {"M5", 121, 150}, {"M6", 151, 180}, {"M7+", 181, Open},
	}
}

// Validate checks that b starts at 0 DPD, that each bucket begins the day
// after the previous one ends, that only the last bucket is open and that
// names are present and unique. It returns an Invalid error listing every
// fault, with fields such as "buckets[2].min_dpd".
func (b Buckets) Validate() error {
	if len(b) == 0 {
		return errs.Field("buckets", "at least one bucket is required")
	}
	var fe []errs.FieldError
	add := func(i int, field, format string, args ...any) {
		fe = append(fe, errs.FieldError{Field: fmt.Sprintf("buckets[%d].%s", i, field), Message: fmt.Sprintf(format, args...)})
	}
	seen := map[string]bool{}
	for i, k := range b {
		switch {
		case k.Name == "":
			add(i, "name", "is required")
		case seen[k.Name]:
			add(i, "name", "%q is used twice", k.Name)
		}
		seen[k.Name] = true
		if i == 0 && k.MinDPD != 0 {
			add(i, "min_dpd", "the first bucket must start at 0 DPD, not %d", k.MinDPD)
		}
		if i > 0 && b[i-1].MaxDPD != Open && k.MinDPD != b[i-1].MaxDPD+1 {
			add(i, "min_dpd", "must be %d, the day after %s ends, not %d", b[i-1].MaxDPD+1, b[i-1].Name, k.MinDPD)
		}
		last := i == len(b)-1
		switch {
		case last && k.MaxDPD != Open:
			add(i, "max_dpd", "the last bucket must be open (-1), not %d", k.MaxDPD)
		case !last && k.MaxDPD == Open:
			add(i, "max_dpd", "only the last bucket may be open")
		case !last && k.MaxDPD < k.MinDPD:
			add(i, "max_dpd", "%d is before min_dpd %d", k.MaxDPD, k.MinDPD)
		}
	}
	if len(fe) > 0 {
		return errs.Fields("Bucket ladder is invalid.", fe...)
	}
	return nil
}

// Of returns the name of the bucket dpd falls in; a negative dpd counts as 0.
// b must be valid.
func (b Buckets) Of(dpd int) string { return b[b.Rank(dpd)].Name }

// Rank returns the position of dpd's bucket in the ladder: 0 for M0, 1 for M1
// and so on, so that "M3 or later" is Rank ≥ 3. b must be valid.
func (b Buckets) Rank(dpd int) int {
	for i, k := range b {
		if k.MaxDPD == Open || dpd <= k.MaxDPD {
			return i
		}
	}
	return len(b) - 1
}

// RankOf returns the position of the bucket named name, or -1.
func (b Buckets) RankOf(name string) int {
	for i, k := range b {
		if k.Name == name {
			return i
		}
	}
	return -1
}

// Names returns the bucket names in ladder order.
func (b Buckets) Names() []string {
	out := make([]string, len(b))
	for i, k := range b {
		out[i] = k.Name
	}
	return out
}
