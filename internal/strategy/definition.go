package strategy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"accord/internal/errs"
)

// Definition is one version of a strategy as a supervisor edits it: ordered
// rules and the message templates they use. It is stored as a JSON document;
// see docs/STRATEGY.md.
type Definition struct {
	Name        string     `json:"name"`
	Version     int        `json:"version,omitempty"` // set by the store when a version is saved
	Description string     `json:"description,omitempty"`
	Rules       []Rule     `json:"rules"`
	Templates   []Template `json:"templates,omitempty"`
}

// Rule is a condition and what to do when it holds. When is an expr-lang
// expression over Facts that must be a boolean. Rules are tried in order and
// the first that matches decides; a rule with Continue set adds its
// treatments and lets evaluation go on to the next rules.
type Rule struct {
	Name       string      `json:"name"`
	When       string      `json:"when"`
	Treatments []Treatment `json:"treatments"`
	Continue   bool        `json:"continue,omitempty"`
	Note       string      `json:"note,omitempty"` // why the rule exists, for the next supervisor
}

// ParseDefinition reads a JSON definition. Unknown fields are refused, so a
// misspelt "treatment" does not silently become an empty rule. It returns an
// Invalid error giving the line and column of a syntax error. It does not
// check the rules; Compile does.
func ParseDefinition(b []byte) (Definition, error) {
	var d Definition
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line, col := lineCol(b, se.Offset)
			return Definition{}, errs.Errorf(errs.Invalid, "Strategy JSON is malformed at line %d, column %d: %s.", line, col, se.Error())
		case errors.As(err, &te):
			line, col := lineCol(b, te.Offset)
			return Definition{}, errs.Errorf(errs.Invalid, "Strategy JSON has a wrong type at line %d, column %d: %s is %s, want %s.", line, col, te.Field, te.Value, te.Type)
		}
		return Definition{}, errs.Errorf(errs.Invalid, "Strategy JSON is invalid: %s.", err.Error())
	}
	if dec.More() {
		return Definition{}, errs.Errorf(errs.Invalid, "Strategy JSON has data after the definition.")
	}
	return d, nil
}

// lineCol returns the 1-based line and column of the byte encoding/json
// stopped at: its offsets count the bytes read, including the offending one.
func lineCol(b []byte, off int64) (int, int) {
	off = min(max(off-1, 0), int64(len(b)))
	before := b[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// Problem is one fault in a definition: where it is and what is wrong. Rule
// is the 0-based index of the rule at fault (as in "rules[2]") or -1 when the
// fault is not in a rule; Line and Column are 1-based positions inside the
// rule's "when" expression, 0 elsewhere.
type Problem struct {
	Rule     int    `json:"rule"`
	RuleName string `json:"rule_name,omitempty"`
	Field    string `json:"field"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Message  string `json:"message"`
}

// String formats p as `rule 2 "name", rules[2].when (line 1, column 5): message`.
func (p Problem) String() string {
	s := p.Field
	if p.Rule >= 0 {
		s = fmt.Sprintf("rule %d %q, %s", p.Rule, p.RuleName, p.Field)
	}
	if p.Line > 0 {
		s += fmt.Sprintf(" (line %d, column %d)", p.Line, p.Column)
	}
	return s + ": " + p.Message
}

// CompileError lists every problem Compile found. It unwraps to an Invalid
// *errs.Error whose fields carry the same problems, so errs.CodeOf and
// errs.FieldsOf work on it.
type CompileError struct {
	Problems []Problem
}

// Error lists every problem.
func (e *CompileError) Error() string { return e.Unwrap().Error() }

// Unwrap returns the problems as an Invalid *errs.Error.
func (e *CompileError) Unwrap() error {
	fe := make([]errs.FieldError, len(e.Problems))
	for i, p := range e.Problems {
		fe[i] = errs.FieldError{Field: p.Field, Message: p.String()}
	}
	return errs.Fields("Strategy definition is invalid.", fe...)
}
