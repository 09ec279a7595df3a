package notify_test

import (
	"context"
	"testing"

	"accord/internal/notify"
)

func TestFake(t *testing.T) {
	t.Parallel()
	f := &notify.Fake{}
	r, err := f.Send(context.Background(), sms(1, "+8613800138000", "您好"))
	if err != nil || r.ProviderID != "fake-1" || r.Status != notify.StatusAccepted {
		t.Fatalf("Send = %+v, %v; want accepted fake-1", r, err)
	}
	f.SendFunc = func(ctx context.Context, m notify.Message) (notify.Receipt, error) {
		return notify.Receipt{}, &notify.Error{Channel: m.Channel, Kind: notify.KindInvalidRecipient}
	}
	if _, err := f.Send(context.Background(), sms(2, "+86123", "您好")); !notify.Permanent(err) {
		t.Errorf("Send with SendFunc: %v, want its permanent error", err)
	}
	if got := f.Messages(); len(got) != 2 || got[0].ID != 1 || got[1].ID != 2 {
		t.Errorf("Messages = %+v, want ids 1 and 2", got)
	}
	f.Reset()
	if n := len(f.Messages()); n != 0 {
		t.Errorf("after Reset, %d messages", n)
	}
}

func TestRouter_Send(t *testing.T) {
	t.Parallel()
	smsFake, emailFake := &notify.Fake{}, &notify.Fake{}
	r := notify.Router{notify.SMS: smsFake, notify.Email: emailFake}
	ctx := context.Background()
	if _, err := r.Send(ctx, sms(1, "+8613800138000", "您好")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Send(ctx, notify.Message{ID: 2, Channel: notify.Email, To: "a@example.cn", Body: "您好"}); err != nil {
		t.Fatal(err)
	}
	if len(smsFake.Messages()) != 1 || len(emailFake.Messages()) != 1 {
		t.Errorf("sms got %d, email got %d; want 1 each", len(smsFake.Messages()), len(emailFake.Messages()))
	}
	_, err := r.Send(ctx, notify.Message{ID: 3, Channel: "letter"})
	if notify.KindOf(err) != notify.KindRejected || !notify.Permanent(err) {
		t.Errorf("Send on an unrouted channel: %v, want permanent rejected", err)
	}
}
