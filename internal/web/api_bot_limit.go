package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// BotLimits cap how fast a messaging-channel integration may send
// borrowers' messages to the chatbot (POST /api/v1/bot/messages). Each
// count runs over a fixed window; a message over either count is answered
// 429 with Retry-After (the seconds until the window ends) and is not
// passed to the bot, so nothing is written. Zero fields take the
// defaults. The counts are kept in this process: with several nodes
// behind a balancer each node counts its own share.
type BotLimits struct {
	// PerIntegration caps the messages of one integration (the user its
	// API tokens belong to) per Window: 600 by default, ten a second on
	// average for a gateway carrying many borrowers.
	PerIntegration int
	// PerRef caps the messages of one borrower reference of one
	// integration and channel per Window: 20 by default, more than a
	// person types; a script replaying one borrower hits it.
	PerRef int
	// Window is the counting window: one minute by default.
	Window time.Duration
}

func (l BotLimits) withDefaults() BotLimits {
	if l.PerIntegration <= 0 {
		l.PerIntegration = 600
	}
	if l.PerRef <= 0 {
		l.PerRef = 20
	}
	if l.Window <= 0 {
		l.Window = time.Minute
	}
	return l
}

// windowCounter counts events per key over fixed windows of one length.
type windowCounter struct {
	mu     sync.Mutex
	window time.Duration
	limit  int
	counts map[string]windowCount
}

type windowCount struct {
	start time.Time
	n     int
}

func newWindowCounter(limit int, window time.Duration) *windowCounter {
	return &windowCounter{window: window, limit: limit, counts: map[string]windowCount{}}
}

// take counts one event for key at now and returns 0, or, when the key
// has had its limit in the current window, how long until it ends (the
// event is then not counted).
func (c *windowCounter) take(key string, now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	wc, ok := c.counts[key]
	if !ok || !now.Before(wc.start.Add(c.window)) || now.Before(wc.start) {
		if len(c.counts) >= 10_000 {
			c.prune(now)
		}
		c.counts[key] = windowCount{start: now, n: 1}
		return 0
	}
	if wc.n >= c.limit {
		return wc.start.Add(c.window).Sub(now)
	}
	wc.n++
	c.counts[key] = wc
	return 0
}

// give takes back one event counted for key (when a later check refused
// the message).
func (c *windowCounter) give(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if wc, ok := c.counts[key]; ok && wc.n > 0 {
		wc.n--
		c.counts[key] = wc
	}
}

// prune drops the keys whose window has ended.
func (c *windowCounter) prune(now time.Time) {
	for k, wc := range c.counts {
		if !now.Before(wc.start.Add(c.window)) {
			delete(c.counts, k)
		}
	}
}

// botLimiter applies BotLimits to the bot endpoint.
type botLimiter struct {
	integration, ref *windowCounter
}

func newBotLimiter(l BotLimits) *botLimiter {
	l = l.withDefaults()
	return &botLimiter{integration: newWindowCounter(l.PerIntegration, l.Window), ref: newWindowCounter(l.PerRef, l.Window)}
}

// allow counts a message of integration userID for channel and ref at
// now; it returns a 429 problem with Retry-After when either limit is
// reached.
func (b *botLimiter) allow(userID int64, channel, ref string, now time.Time) error {
	ik := strconv.FormatInt(userID, 10)
	if wait := b.integration.take(ik, now); wait > 0 {
		return tooMany(wait, "The integration sends too many messages: slow down.")
	}
	rk := ik + "\x00" + channel + "\x00" + ref
	if wait := b.ref.take(rk, now); wait > 0 {
		b.integration.give(ik)
		return tooMany(wait, "Too many messages for this borrower_ref: slow down.")
	}
	return nil
}

// tooMany is a 429 problem whose Retry-After is wait rounded up to whole
// seconds.
func tooMany(wait time.Duration, msg string) error {
	secs := int((wait + time.Second - 1) / time.Second)
	return huma.ErrorWithHeaders(huma.Error429TooManyRequests(msg),
		http.Header{"Retry-After": []string{strconv.Itoa(secs)}})
}
