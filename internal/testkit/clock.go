package testkit

import (
	"sync"
	"time"

	"accord/internal/date"
)

// T0 is the instant tests run at unless they say otherwise: 10:00 on
// Friday 2026-03-20 in Shanghai (02:00 UTC), inside the governor's
// allowed hours on a working day.
var T0 = time.Date(2026, 3, 20, 2, 0, 0, 0, time.UTC)

// Today is the lender's business date at T0.
var Today = date.MustParse("2026-03-20")

// Clock is a clock a test fixes and moves; safe for concurrent use. Pass
// its Now as collect.Options.Now.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
