package offer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
)

// readObject decodes r as one JSON object.
func readObject(r io.Reader, what string) (map[string]any, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, errs.Errorf(errs.Invalid, "%s is not valid JSON: %s.", what, err.Error())
	}
	if dec.More() {
		return nil, errs.Errorf(errs.Invalid, "%s has data after the JSON object.", what)
	}
	m, ok := root.(map[string]any)
	if !ok {
		return nil, errs.Errorf(errs.Invalid, "%s must be a JSON object.", what)
	}
	return m, nil
}

// reader collects field errors while converting a decoded JSON document.
type reader struct{ fe []errs.FieldError }

func (r *reader) bad(field, format string, args ...any) {
	r.fe = append(r.fe, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// obj is one JSON object under a path ("debt."); done reports the keys
// nobody read as unknown fields.
type obj struct {
	r    *reader
	path string
	m    map[string]any
	used map[string]bool
}

func (r *reader) object(m map[string]any, path string) obj {
	if path != "" {
		path += "."
	}
	return obj{r: r, path: path, m: m, used: map[string]bool{}}
}

func (o obj) has(k string) bool { _, ok := o.m[k]; return ok }

func (o obj) get(k string) (any, bool) {
	o.used[k] = true
	v, ok := o.m[k]
	if ok && v == nil {
		return nil, false
	}
	return v, ok
}

func (o obj) need(k string, required bool) (any, bool) {
	v, ok := o.get(k)
	if !ok && required {
		o.r.bad(o.path+k, "is required")
	}
	return v, ok
}

func (o obj) done() {
	var unknown []string
	for k := range o.m {
		if !o.used[k] {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		o.r.bad(o.path+k, "unknown field")
	}
}

func (o obj) sub(k string, required bool) (obj, bool) {
	v, ok := o.need(k, required)
	if !ok {
		return obj{}, false
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		o.r.bad(o.path+k, "must be an object")
		return obj{}, false
	}
	return o.r.object(m, o.path+k), true
}

func (o obj) list(k string) ([]any, bool) {
	v, ok := o.get(k)
	if !ok {
		return nil, false
	}
	l, isList := v.([]any)
	if !isList {
		o.r.bad(o.path+k, "must be a list")
	}
	return l, isList
}

func (o obj) str(k string, dst *string) {
	if v, ok := o.get(k); ok {
		s, isStr := v.(string)
		if !isStr {
			o.r.bad(o.path+k, "must be a string")
			return
		}
		*dst = s
	}
}

// value reads v, found at o.path+name, as an amount.
func (o obj) value(v any, name string, dst *money.Amount) bool {
	s, isStr := v.(string)
	if !isStr {
		o.r.bad(o.path+name, "must be an amount in yuan as a string, such as \"1234.50\"")
		return false
	}
	a, err := money.Parse(s)
	if err != nil {
		o.r.bad(o.path+name, "%q is not an amount in yuan with at most two decimal places", s)
		return false
	}
	*dst = a
	return true
}

func (o obj) amount(k string, dst *money.Amount, required bool) bool {
	v, ok := o.need(k, required)
	return ok && o.value(v, k, dst)
}

func (o obj) optAmount(k string) *money.Amount {
	var a money.Amount
	if o.has(k) && o.amount(k, &a, false) {
		return &a
	}
	o.used[k] = true
	return nil
}

func (o obj) rate(k string, dst *decimal.Decimal, required bool) bool {
	v, ok := o.need(k, required)
	if !ok {
		return false
	}
	s, isStr := v.(string)
	if !isStr {
		o.r.bad(o.path+k, "must be a decimal as a string, such as \"0.18\"")
		return false
	}
	d, err := decimal.Parse(s)
	if err != nil {
		o.r.bad(o.path+k, "%q is not a decimal number", s)
		return false
	}
	*dst = d
	return true
}

func (o obj) optRate(k string) *decimal.Decimal {
	var d decimal.Decimal
	if o.has(k) && o.rate(k, &d, false) {
		return &d
	}
	o.used[k] = true
	return nil
}

func (o obj) int(k string, dst *int, required bool) bool {
	v, ok := o.need(k, required)
	if !ok {
		return false
	}
	n, isNum := v.(json.Number)
	i, err := n.Int64()
	if !isNum || err != nil || i < -1e9 || i > 1e9 {
		o.r.bad(o.path+k, "must be a whole number")
		return false
	}
	*dst = int(i)
	return true
}

func (o obj) date(k string, dst *date.Date, required bool) {
	v, ok := o.need(k, required)
	if !ok {
		return
	}
	s, isStr := v.(string)
	d, err := date.Parse(s)
	if !isStr || err != nil {
		o.r.bad(o.path+k, "must be a date of the form YYYY-MM-DD")
		return
	}
	*dst = d
}
