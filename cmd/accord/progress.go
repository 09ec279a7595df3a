package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress draws a one-line progress bar on a terminal; on anything else
// (a pipe, a CI log) it stays silent so that output remains parseable.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	start time.Time
	last  time.Time
	on    bool
}

func newProgress(w io.Writer, label string) *progress {
	on := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progress{w: w, label: label, start: time.Now(), on: on}
}

// Func returns Set, or nil when the bar is not drawn (its writer is not a
// terminal), so that the work need not count what it will do.
func (p *progress) Func() func(done, total int) {
	if p == nil || !p.on {
		return nil
	}
	return p.Set
}

// Set reports done out of total; it redraws at most five times a second.
func (p *progress) Set(done, total int) {
	if p == nil || !p.on || total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if done < total && now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	const width = 30
	n := done * width / total
	fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %d/%d %.1fs", p.label, strings.Repeat("#", n), strings.Repeat(" ", width-n),
		done*100/total, done, total, now.Sub(p.start).Seconds())
	if done >= total {
		fmt.Fprintln(p.w)
	}
}
