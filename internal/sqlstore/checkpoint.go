package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// On SQLite every commit goes to the write-ahead log; a checkpoint copies
// the log back into the database file and syncs it. By default the commit
// that finds the log above 1000 pages does that copy itself, on the
// writer's one connection, and it can copy only what no reader still
// needs. A long pass whose workers keep reading while one writer stores
// their results therefore copies nothing until the workers are done, and
// then the next commit copies and syncs everything the pass wrote: about
// 340 MB and 1 s of the 1,000,000-borrower scoring night, with the writer
// busy and the workers finished (docs/BENCHMARKS.md, 2026-12-07).

// checkpointEvery is how often CheckpointAlong's checkpointer copies the
// log back.
const checkpointEvery = 250 * time.Millisecond

// CheckpointAlong runs SQLite's checkpoints beside a long write pass
// instead of in its commits: it stops the writer's own checkpoints and
// checkpoints every checkpointEvery on a connection of its own, so that
// the copying and syncing overlap the pass's work. The pass's readers must
// end their transactions from time to time (see scoring's passRenew), or
// there is nothing a checkpoint may copy. end checkpoints what is left,
// gives the writer back its checkpoints and returns the first error. On
// PostgreSQL both do nothing.
func (db *DB) CheckpointAlong(ctx context.Context) (end func() error, err error) {
	if db.d.engine != SQLite {
		return func() error { return nil }, nil
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("checkpointer: %w", interpretError(err))
	}
	if _, err := db.write.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("checkpointer: %w", interpretError(err))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	checkpoint := func() {
		// PASSIVE: copy what no reader needs, never wait for one or for the
		// writer. A checkpoint already running elsewhere (another process)
		// answers busy, which is no failure.
		var busy, logged, copied int64
		err := conn.QueryRowContext(context.WithoutCancel(ctx), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logged, &copied)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			mu.Lock()
			first = errors.Join(first, fmt.Errorf("checkpoint: %w", interpretError(err)))
			mu.Unlock()
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(checkpointEvery)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				checkpoint()
			}
		}
	}()
	return func() error {
		close(stop)
		wg.Wait()
		checkpoint()
		err := conn.Close()
		_, err2 := db.write.ExecContext(context.WithoutCancel(ctx), "PRAGMA wal_autocheckpoint = 1000")
		mu.Lock()
		defer mu.Unlock()
		return errors.Join(first, interpretError(err), interpretError(err2))
	}, nil
}
