package strategy

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"

	"accord/internal/errs"
)

// The arms of an experiment.
const (
	Champion   = "champion"
	Challenger = "challenger"
)

// Experiment runs a challenger strategy version on a share of cases while
// the champion version handles the rest.
type Experiment struct {
	ID              int64   `json:"id"`
	Champion        int64   `json:"champion"`         // strategy version id
	Challenger      int64   `json:"challenger"`       // strategy version id
	ChallengerShare float64 `json:"challenger_share"` // 0 to 1: the share of borrowers in the challenger arm
}

// Validate checks that the two versions differ and the share is within 0–1.
// It returns an Invalid error.
func (e Experiment) Validate() error {
	var fe []errs.FieldError
	if e.Champion == e.Challenger {
		fe = append(fe, errs.FieldError{Field: "challenger", Message: "must be a different version from the champion"})
	}
	if !(e.ChallengerShare >= 0 && e.ChallengerShare <= 1) {
		fe = append(fe, errs.FieldError{Field: "challenger_share", Message: "must be from 0 to 1"})
	}
	if len(fe) > 0 {
		return errs.Fields("Experiment is invalid.", fe...)
	}
	return nil
}

// Arm returns Champion or Challenger for borrowerID. The split is by
// borrower, so all of a borrower's cases stay in one arm, and it is stable
// across runs and machines: the first 8 bytes of
// SHA-256("accord/experiment:<experiment id>:<borrower id>"), read big-endian,
// give 53 bits as a number u in [0,1); u < ChallengerShare is the challenger.
// Raising the share only moves borrowers from champion to challenger.
func Arm(exp Experiment, borrowerID int64) string {
	if unit(exp.ID, borrowerID) < exp.ChallengerShare {
		return Challenger
	}
	return Champion
}

// Version returns the strategy version id borrowerID's arm runs.
func (e Experiment) Version(borrowerID int64) int64 {
	if Arm(e, borrowerID) == Challenger {
		return e.Challenger
	}
	return e.Champion
}

// unit hashes the experiment and borrower ids to [0,1).
func unit(expID, borrowerID int64) float64 {
	b := make([]byte, 0, 64)
	b = append(b, "accord/experiment:"...)
	b = strconv.AppendInt(b, expID, 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, borrowerID, 10)
	sum := sha256.Sum256(b)
	return float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53)
}
