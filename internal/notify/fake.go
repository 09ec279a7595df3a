package notify

import (
	"context"
	"strconv"
	"sync"
)

// Fake is a Sender for use-case tests. It records every message it is given
// and answers with SendFunc, or, when SendFunc is nil, accepts the message
// with ProviderID "fake-<ID>" and a zero At. It is safe for concurrent use.
//
//	f := &notify.Fake{SendFunc: func(ctx context.Context, m notify.Message) (notify.Receipt, error) {
//		return notify.Receipt{}, &notify.Error{Channel: m.Channel, Kind: notify.KindInvalidRecipient}
//	}}
type Fake struct {
	SendFunc func(ctx context.Context, m Message) (Receipt, error)

	mu   sync.Mutex
	sent []Message
}

var _ Sender = (*Fake)(nil)

// Send records m and returns SendFunc's answer.
func (f *Fake) Send(ctx context.Context, m Message) (Receipt, error) {
	f.mu.Lock()
	f.sent = append(f.sent, m)
	f.mu.Unlock()
	if f.SendFunc != nil {
		return f.SendFunc(ctx, m)
	}
	return Receipt{ProviderID: "fake-" + strconv.FormatInt(m.ID, 10), Status: StatusAccepted}, nil
}

// Messages returns a copy of the messages passed to Send, in order,
// including those SendFunc failed.
func (f *Fake) Messages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Message, len(f.sent))
	copy(out, f.sent)
	return out
}

// Reset forgets the recorded messages.
func (f *Fake) Reset() {
	f.mu.Lock()
	f.sent = nil
	f.mu.Unlock()
}
