package selfservice

import (
	"errors"

	"accord/internal/errs"
)

// ErrNoCase is returned when something needs the borrower's open case
// (a promise, a plan) and there is none: nothing is overdue.
var ErrNoCase = errs.Errorf(errs.Conflict, "Nothing is overdue on your loans, so there is nothing to arrange.")

func isNotFound(err error) bool { return errs.CodeOf(err) == errs.NotFound }

func notFoundLoan(id int64) error { return errs.Errorf(errs.NotFound, "Loan %d not found.", id) }

func errorsAs(err error, target any) bool { return errors.As(err, target) }
