package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"accord/internal/gateway"
)

func TestGatewayServe(t *testing.T) {
	t.Parallel()
	code, _, stderr := runAccord(t, context.Background(), nil, "gateway", "serve", "--addr", "127.0.0.1:0", "--secret", "short")
	if code != 2 || !strings.Contains(stderr, "--secret") {
		t.Fatalf("short secret: exit %d, stderr %q; want 2 naming --secret", code, stderr)
	}

	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		code, _, _ := runAccord(t, ctx, ready, "gateway", "serve", "--addr", "127.0.0.1:0", "--merchant", "M-CLI",
			"--secret", "a-long-demo-secret")
		done <- code
	}()
	var addr string
	select {
	case addr = <-ready:
	case <-time.After(20 * time.Second):
		t.Fatal("gateway serve did not start")
	}
	c, err := gateway.NewClient(gateway.Config{URL: "http://" + addr, MerchantID: "M-CLI", Secret: "a-long-demo-secret",
		NotifyURL: "http://127.0.0.1:1/callback"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.CreateOrder(ctx, gateway.OrderRequest{OrderID: "AC1", AmountFen: 100})
	if err != nil || !strings.HasPrefix(o.PayURL, "http://"+addr+"/pay/") {
		t.Errorf("CreateOrder = %+v, %v", o, err)
	}
	bad, _ := gateway.NewClient(gateway.Config{URL: "http://" + addr, MerchantID: "M-CLI", Secret: "another-long-secret"})
	if _, err := bad.CreateOrder(ctx, gateway.OrderRequest{OrderID: "AC2", AmountFen: 100, NotifyURL: "http://x"}); err == nil {
		t.Error("the local gateway accepted an order signed with another secret")
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("gateway serve exited %d after the context ended", code)
	}
}

func TestServe_GatewayNeedsPublicURL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, _, stderr := runAccord(t, context.Background(), nil, "--db", "sqlite:"+filepath.Join(dir, "a.db"),
		"--key-file", filepath.Join(dir, "a.key"), "--log-level", "error", "serve", "--addr", "127.0.0.1:0",
		"--gateway-url", "http://127.0.0.1:8099", "--gateway-merchant", "M", "--gateway-secret", "a-long-demo-secret")
	if code != 2 || !strings.Contains(stderr, "--public-url") {
		t.Fatalf("exit %d, stderr %q; want 2 naming --public-url", code, stderr)
	}
	code, _, stderr = runAccord(t, context.Background(), nil, "--db", "sqlite:"+filepath.Join(dir, "a.db"),
		"--key-file", filepath.Join(dir, "a.key"), "--log-level", "error", "serve", "--addr", "127.0.0.1:0",
		"--portal-auto-approval", "ceo")
	if code != 2 || !strings.Contains(stderr, "--portal-auto-approval") {
		t.Fatalf("exit %d, stderr %q; want 2 naming --portal-auto-approval", code, stderr)
	}
}
