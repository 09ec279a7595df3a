package collect

import (
	"context"
	"sync"
	"time"

	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// txBatcher runs the write transactions of concurrent "Get next case"
// presses together: the presses waiting while one batch runs make up the
// next, and a batch is one transaction in which each press runs in turn,
// exactly as it would in a transaction of its own — the governor is asked
// about the case it hands out in the transaction that claims it. On
// SQLite every write transaction runs on the one writer connection, one
// after the other; 200 presses at once each paying BEGIN IMMEDIATE, COMMIT
// and the hand-over of the connection spent about a quarter of their CPU
// on that (issue 11). The zero value is ready.
type txBatcher struct {
	mu      sync.Mutex
	pending []*batchReq
	running bool // a goroutine is draining pending
}

// batchReq is one press: fn runs in the batch's transaction. Before any
// press of the batch runs, plan (when set) notes in the batch's nextMemo
// what the press will read, so that the batch reads it for all its presses
// at once; fn then finds it in the memo, which is nil when the press runs
// in a transaction of its own.
type batchReq struct {
	ctx  context.Context // the press's: if it ended before its turn, fn is not run
	plan func(ctx context.Context, tx *sqlstore.Tx, m *nextMemo) error
	fn   func(ctx context.Context, tx *sqlstore.Tx, m *nextMemo) error
	err  error
	done chan struct{}
}

// maxBatch bounds how many presses share one transaction, so that other
// writers get the writer connection between batches.
const maxBatch = 64

// batchTimeout bounds one batch's transaction. A press waits for its batch
// even when its own context ends first (its case may be claimed in a
// transaction that then commits), so the batch has a deadline of its own.
const batchTimeout = 30 * time.Second

// run runs r.fn in a write transaction shared with other presses and
// returns its error. fn must write nothing before an error it returns (and
// plan nothing at all): an error that is not a database failure (errs code
// other than Internal) leaves the batch going; a database failure rolls
// the whole batch back and every press of it is run again in a
// transaction of its own.
func (b *txBatcher) run(ctx context.Context, db *sqlstore.DB, r *batchReq) error {
	r.ctx, r.done = ctx, make(chan struct{})
	b.mu.Lock()
	b.pending = append(b.pending, r)
	if !b.running {
		b.running = true
		go b.drain(context.WithoutCancel(ctx), db)
	}
	b.mu.Unlock()
	<-r.done
	return r.err
}

// drain runs batches of pending presses until none is left.
func (b *txBatcher) drain(ctx context.Context, db *sqlstore.DB) {
	for {
		b.mu.Lock()
		n := min(len(b.pending), maxBatch)
		batch := b.pending[:n:n]
		b.pending = b.pending[n:]
		if n == 0 {
			b.pending, b.running = nil, false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		runBatch(ctx, db, batch)
		for _, r := range batch {
			close(r.done)
		}
	}
}

// runBatch runs every press of batch in one transaction, or, if that
// fails, each in a transaction of its own.
func runBatch(ctx context.Context, db *sqlstore.DB, batch []*batchReq) {
	ctx, cancel := context.WithTimeout(ctx, batchTimeout)
	defer cancel()
	if len(batch) > 1 {
		err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
			m := newNextMemo()
			for _, r := range batch {
				if r.plan != nil && r.ctx.Err() == nil {
					if err := r.plan(ctx, tx, m); err != nil {
						return err // a database failure
					}
				}
			}
			if err := m.loadFacts(ctx, tx); err != nil {
				return err
			}
			for _, r := range batch {
				if r.err = r.ctx.Err(); r.err != nil {
					continue
				}
				r.err = r.fn(ctx, tx, m)
				if r.err != nil && errs.CodeOf(r.err) == errs.Internal {
					return r.err // a database failure: PostgreSQL has aborted the transaction
				}
			}
			return nil
		})
		if err == nil {
			return
		}
	}
	for _, r := range batch {
		if r.err = r.ctx.Err(); r.err != nil {
			continue
		}
		r.err = db.InTx(ctx, func(tx *sqlstore.Tx) error { return r.fn(ctx, tx, nil) })
	}
}
