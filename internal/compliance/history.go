package compliance

import "slices"

// inDay reports whether a is before the proposal and on l's local day.
func (f *facts) inDay(a *Attempt, l *local) bool {
	u := a.At.UnixNano()
	return u >= l.dayStart && u < l.dayEnd && u < f.at
}

// dayWindow fills a detail with a count over the local day of l.
func (f *facts) dayWindow(d *Detail, l *local, count, limit int) {
	d.Count, d.Limit, d.TimeZone = count, limit, l.name
	d.WindowStart, d.WindowEnd = l.format(l.dayStart), l.format(l.dayEnd)
}

// evidence returns the ids of the history entries before the proposal that
// match.
func (f *facts) evidence(match func(a *Attempt) bool) []string {
	var ids []string
	for i := range f.in.History {
		a := &f.in.History[i]
		if a.At.UnixNano() < f.at && match(a) && a.ID != "" {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

// count returns the number of history entries before the proposal that
// match.
func (f *facts) count(match func(a *Attempt) bool) int {
	n := 0
	for i := range f.in.History {
		a := &f.in.History[i]
		if a.At.UnixNano() < f.at && match(a) {
			n++
		}
	}
	return n
}

func maxAt(ns []int) (at, n int) {
	for i, v := range ns {
		if v > n {
			at, n = i, v
		}
	}
	return at, n
}

func distinct(ss []string) int {
	n := 0
	for i, s := range ss {
		if s != "" && !slices.Contains(ss[:i], s) {
			n++
		}
	}
	return n
}

// toBorrower reports whether a reached the borrower. An attempt without a
// party is taken to be with the borrower, so that it counts toward the
// borrower's caps rather than escaping them.
func (a *Attempt) toBorrower() bool { return a.Party == ToBorrower || a.Party == "" }
