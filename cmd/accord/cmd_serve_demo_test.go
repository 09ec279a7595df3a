package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// serveBriefly starts serve, waits until it listens, stops it and returns
// what it wrote to stderr.
func (d *e2eDB) serveBriefly(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan string, 1)
	go func() {
		_, _, errOut := runAccord(t, ctx, ready, "--db", d.dsn, "--key-file", d.keyFile, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0")
		done <- errOut
	}()
	select {
	case <-ready:
	case errOut := <-done:
		t.Fatalf("serve exited before listening: %s", errOut)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start within 30 s")
	}
	cancel()
	return <-done
}

func TestCLI_ServeWarnsOfDemoPassword(t *testing.T) {
	t.Parallel()
	d := newE2EDB(t, "sqlite")
	d.mustRun(t, "user", "create", "--username", "admin", "--roles", "admin", "--password", demoPassword)
	d.mustRun(t, "user", "create", "--username", "li.wei", "--roles", "collector", "--password", demoPassword)
	errOut := d.serveBriefly(t)
	if !strings.Contains(errOut, "WARNING: demo users [admin] still have the demo password") || !strings.Contains(errOut, `"level":"ERROR"`) {
		t.Errorf("serve with a demo password did not warn:\n%s", errOut)
	}
	d.mustRun(t, "user", "password", "--username", "admin", "--password", "a good long password")
	if errOut := d.serveBriefly(t); strings.Contains(errOut, "demo password") {
		t.Errorf("serve warned after the password was changed:\n%s", errOut)
	}
}
