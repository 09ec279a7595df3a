// Package errs is the error vocabulary every layer of Accord shares: an error
// carries a Code that says what kind of failure it is (and so which HTTP
// status or exit code it becomes) and a Message that is safe to show a user.
package errs

import (
	"errors"
	"fmt"
)

// Code classifies an error.
type Code string

// The codes. Anything that is not an *Error is Internal.
const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Forbidden    Code = "forbidden"
	Unauthorized Code = "unauthorized"
	Internal     Code = "internal"
)

// FieldError names one input field and what is wrong with it. Row is the
// 1-based input row for imports and 0 elsewhere.
type FieldError struct {
	Row     int    `json:"row,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (f FieldError) String() string {
	if f.Row > 0 {
		return fmt.Sprintf("row %d, %s: %s", f.Row, f.Field, f.Message)
	}
	return fmt.Sprintf("%s: %s", f.Field, f.Message)
}

// Error is an error with a Code, a user-safe Message and, for Invalid input,
// the fields at fault.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	s := e.Message
	for i, f := range e.Fields {
		if i == 5 {
			s += fmt.Sprintf(" (and %d more)", len(e.Fields)-5)
			break
		}
		s += "; " + f.String()
	}
	return s
}

// Is reports whether target is an *Error with the same code and message, so
// that sentinels built with Errorf work with errors.Is.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Message == e.Message
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Fields returns an Invalid error listing the fields at fault.
func Fields(message string, fields ...FieldError) *Error {
	return &Error{Code: Invalid, Message: message, Fields: fields}
}

// Field returns an Invalid error about one field.
func Field(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: Invalid, Message: field + ": " + msg, Fields: []FieldError{{Field: field, Message: msg}}}
}

// CodeOf returns the code of the first *Error in err's chain, Internal when
// there is none and "" when err is nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the user-safe message of err: the Message of the first
// *Error in its chain, or "Internal error." for anything else.
func MessageOf(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// FieldsOf returns the field errors of the first *Error in err's chain.
func FieldsOf(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
