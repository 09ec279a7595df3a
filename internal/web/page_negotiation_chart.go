package web

import (
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// The payment-profile chart drawn on each offer card: one bar per payment,
// heights proportional to the amount, in SVG geometry computed here so that
// the template needs neither script nor style attributes (CSP).
const (
	chartWidth  = 240 // viewBox width
	chartHeight = 80  // viewBox height of the plot area
	chartGap    = 1   // between bars, when there is room
)

// chartBar is one drawn payment.
type chartBar struct {
	X, Y, W, H int
	Payment    offer.Payment
}

// offerChart is an offer's drawn schedule.
type offerChart struct {
	Width, Height int
	Bars          []chartBar
	Max           offer.Payment // the largest payment (first of equals)
}

// paymentChart lays out sched as bars across chartWidth; the largest payment
// is full height, a non-zero payment at least one unit high.
func paymentChart(sched []offer.Payment) offerChart {
	c := offerChart{Width: chartWidth, Height: chartHeight}
	if len(sched) == 0 {
		return c
	}
	for _, p := range sched {
		if p.Amount > c.Max.Amount {
			c.Max = p
		}
	}
	n := len(sched)
	slot := chartWidth / n
	if slot < 1 {
		slot = 1
	}
	gap := chartGap
	if slot <= 2 {
		gap = 0
	}
	for i, p := range sched {
		h := 0
		if c.Max.Amount > 0 && p.Amount > 0 {
			h = int(int64(p.Amount) * chartHeight / int64(c.Max.Amount))
			if h < 1 {
				h = 1
			}
		}
		c.Bars = append(c.Bars, chartBar{X: i * slot, Y: chartHeight - h, W: slot - gap, H: h, Payment: p})
	}
	return c
}

// offerCharts returns each offer's chart by offer id.
func offerCharts(list []sqlstore.Offer) map[int64]offerChart {
	out := make(map[int64]offerChart, len(list))
	for _, o := range list {
		out[o.ID] = paymentChart(o.Offer.Schedule)
	}
	return out
}
