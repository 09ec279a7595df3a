package compliance

import (
	"fmt"
	"time"
)

// checkTime fires rule when the proposed time is outside the allowed hours
// in any of the borrower's candidate time zones (R01, R18, R19, R43). A
// borrower's recorded consent window widens the hours for contacts with the
// borrower (R17). It reports whether the rule fired.
func (f *facts) checkTime(rule string) bool {
	if !timed(f.p.Channel) {
		return false
	}
	from, until := f.lim.from, f.lim.until
	for i := range f.zones {
		l := &f.zones[i]
		if from < until && inWindow(l.clock, from, until) || f.inConsentWindow(l.clock) {
			continue
		}
		d := f.fire(rule, Block, Text{
			ZH: fmt.Sprintf("借款人当地时间 %s（%s）不在允许联系时段 %s–%s 内。", l.t.Format("15:04:05"), l.name, from, until),
			EN: fmt.Sprintf("%s local time in %s is outside the allowed hours %s–%s.", l.t.Format("15:04:05"), l.name, from, until),
		})
		d.TimeZone, d.LocalTime = l.name, l.t.Format(time.RFC3339)
		d.WindowStart, d.WindowEnd = l.clockAt(from).Format(time.RFC3339), l.clockAt(until).Format(time.RFC3339)
		return true
	}
	return false
}

// inConsentWindow reports whether local clock c falls in the window of an
// active contact-window consent (R17). Consent is the borrower's, so it
// covers contacts with the borrower only.
func (f *facts) inConsentWindow(c Clock) bool {
	if f.p.Party != ToBorrower {
		return false
	}
	for i := range f.in.Borrower.Consents {
		cs := &f.in.Borrower.Consents[i]
		if cs.Kind != ConsentContactWindow || !f.activeConsent(cs) {
			continue
		}
		if from, until, ok := parseWindow(cs.Window); ok && inWindow(c, from, until) {
			return true
		}
	}
	return false
}

// format formats an instant (UnixNano) in l's zone.
func (l *local) format(ns int64) string {
	return time.Unix(0, ns).In(l.loc).Format(time.RFC3339)
}
