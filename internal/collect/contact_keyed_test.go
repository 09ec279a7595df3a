package collect

import (
	"errors"
	"testing"
	"time"

	"accord/internal/compliance"
	"accord/internal/errs"
)

// TestService_LogContactKeyed: a retried request with the same
// Idempotency-Key records the contact once and returns the first outcome,
// a refusal included; the same key with another request is a Conflict.
func TestService_LogContactKeyed(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		call := e.call("phone:1", compliance.Connected)
		first, err := e.svc.LogContactKeyed(ctBG, ctCollector, "k-1", call)
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.svc.LogContactKeyed(ctBG, ctCollector, "k-1", call)
		if err != nil || again.Attempt.ID != first.Attempt.ID {
			t.Fatalf("retry = attempt %d, %v; want the first attempt %d", again.Attempt.ID, err, first.Attempt.ID)
		}
		if n := len(e.attempts(t)); n != 1 {
			t.Errorf("%d contact-log entries after a retry, want 1", n)
		}
		other := e.call("phone:1", compliance.NoAnswer)
		if _, err := e.svc.LogContactKeyed(ctBG, ctCollector, "k-1", other); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("same key, other request: %v, want Conflict", err)
		}

		e.advance(13 * time.Hour) // past 22:00: the governor refuses
		late := e.call("phone:1", compliance.Connected)
		_, err1 := e.svc.LogContactKeyed(ctBG, ctCollector, "k-2", late)
		_, err2 := e.svc.LogContactKeyed(ctBG, ctCollector, "k-2", late)
		var r1, r2 *RefusedError
		if !errors.As(err1, &r1) || !errors.As(err2, &r2) || r1.AttemptID != r2.AttemptID {
			t.Fatalf("refused twice = %v / %v; want the same refusal", err1, err2)
		}
		if n := len(e.attempts(t)); n != 2 {
			t.Errorf("%d contact-log entries, want the call and one refusal", n)
		}
	})
}
