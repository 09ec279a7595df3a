package collect

import "accord/internal/sqlstore"

// SetAgingReadHook has fn called by the nightly aging after it reads each
// chunk of loans and before it replays and saves them: a test posts a
// payment there to stand for one arriving while the night runs.
func (s *Service) SetAgingReadHook(fn func([]sqlstore.LoanBundle)) { s.agingRead = fn }
