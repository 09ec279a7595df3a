// Command accord is the whole of Accord in one binary: the console and JSON
// API (serve), the nightly cycle (run), the loan-book tools (import, demo,
// schedule, migrate), user administration and audit verification.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain(os.Stdin, os.Stdout, os.Stderr)
	code := m.Run(ctx, os.Args)
	m.Close()
	os.Exit(code)
}
