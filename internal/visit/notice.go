package visit

import (
	"time"

	"accord/internal/errs"
)

// Errors of CheckNotice.
var (
	ErrNoticeMissing = errs.Errorf(errs.Conflict, "The borrower has not been told of the visit in advance.")
	ErrNoticeLate    = errs.Errorf(errs.Conflict, "The borrower was told of the visit too late.")
)

// NoticeBy returns the latest instant notice of a visit at visitAt may be
// sent under p (visitAt less the notice period, 24 hours by default), and
// false when p does not require notice.
func NoticeBy(visitAt time.Time, p Policy) (time.Time, bool) {
	on, need := p.NoticeRequired()
	if !on {
		return time.Time{}, false
	}
	return visitAt.Add(-need), true
}

// EarliestVisit returns the first instant a visit may start when notice
// was sent at sentAt (sentAt itself when p requires no notice).
func EarliestVisit(sentAt time.Time, p Policy) time.Time {
	if on, need := p.NoticeRequired(); on {
		return sentAt.Add(need)
	}
	return sentAt
}

// CheckNotice checks the notice of a visit at visitAt sent at sentAt (zero
// when none was sent), as the governor's CN-VISIT rule does. It returns
// ErrNoticeMissing or ErrNoticeLate (Conflict), or nil when the notice is
// in time or p requires none.
func CheckNotice(visitAt, sentAt time.Time, p Policy) error {
	on, need := p.NoticeRequired()
	switch {
	case !on:
		return nil
	case sentAt.IsZero():
		return ErrNoticeMissing
	case visitAt.Sub(sentAt) < need:
		return ErrNoticeLate
	}
	return nil
}
