package scoring

import (
	"context"
	"runtime"
	"sync"

	"accord/internal/sqlstore"
)

// Training and the early-warning scan read the book as the nightly pass
// does: slices of borrowers (ranges of ids, or lists), each read by
// sqlstore.ScoringFactsIn in one query per table, by one worker per core.

// bookSpan is how many borrower ids one slice of the book covers, and
// bookIDs how many borrowers a slice read by list holds.
const (
	bookSpan = 4000
	bookIDs  = 2000
)

// bookScopes returns ranges of bookSpan borrower ids covering every
// borrower with a loan.
func (s *Service) bookScopes(ctx context.Context) ([]sqlstore.FactsScope, error) {
	var lo, hi int64
	if err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		lo, hi, err = tx.ScoringBorrowerSpan(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	if hi == 0 {
		return nil, nil
	}
	var out []sqlstore.FactsScope
	for after := lo - 1; after < hi; after += bookSpan {
		out = append(out, sqlstore.FactsScope{After: after, UpTo: min(after+bookSpan, hi)})
	}
	return out, nil
}

// listScopes returns ids (ascending) as lists of bookIDs.
func listScopes(ids []int64) []sqlstore.FactsScope {
	var out []sqlstore.FactsScope
	for start := 0; start < len(ids); start += bookIDs {
		out = append(out, sqlstore.FactsScope{IDs: ids[start:min(start+bookIDs, len(ids))]})
	}
	return out
}

// readSlices calls read on every scope, in one worker per core, each in
// one read transaction for all its slices, and returns the results in the
// order of scopes (so nothing depends on which worker read what). It
// returns the first error and stops the other workers.
func readSlices[T any](ctx context.Context, s *Service, scopes []sqlstore.FactsScope,
	read func(ctx context.Context, tx *sqlstore.Tx, scope sqlstore.FactsScope) (T, error)) ([]T, error) {
	out := make([]T, len(scopes))
	if len(scopes) == 0 {
		return out, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		once     sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	jobs := make(chan int)
	for range min(max(1, runtime.GOMAXPROCS(0)), len(scopes)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
				for i := range jobs {
					r, err := read(ctx, tx, scopes[i])
					if err != nil {
						return err
					}
					out[i] = r
				}
				return nil
			})
			if err != nil {
				once.Do(func() { firstErr = err; cancel() })
				for range jobs { // let the producer end
				}
			}
		}()
	}
	for i := range scopes {
		select {
		case jobs <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return out, firstErr
}
