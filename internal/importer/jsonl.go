package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// readJSONL reads a JSON-lines file: one JSON object per line, its keys the
// column names. Blank lines are skipped.
func readJSONL(r io.Reader, c *collector) error {
	sc := bufio.NewScanner(&lineLimit{r: r})
	// lineLimit stops an overlong line first; the margin keeps the
	// scanner's own limit out of the way.
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineBytes+4096)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		r, err := c.next(line)
		if err != nil {
			return err
		}
		decodeObject(b, r, c)
		c.finish(r)
	}
	if errors.Is(sc.Err(), bufio.ErrTooLong) {
		return &lineTooLongError{line: line + 1}
	}
	return sc.Err()
}

// decodeObject reads one JSON object into r's cells. Keys that are not
// columns, keys given twice and values that are not strings, numbers, null
// or (for list columns) arrays of strings are errors on the key; a line that
// is not one JSON object is an error on the whole row.
func decodeObject(b []byte, r *row, c *collector) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		r.bad(rowField, `must be a JSON object such as {"external_id": "B1", …}`)
		return
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			r.bad(rowField, "is not valid JSON: %v", err)
			return
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			r.bad(rowField, "is not valid JSON: %v", err)
			return
		}
		col, known := c.spec.lookup(key)
		_, twice := r.rec[key]
		switch {
		case !known:
			r.bad(key, "is an unknown key; a %s file has the keys %s", c.kind, c.spec.names())
		case twice:
			r.bad(key, "appears twice")
		default:
			r.rec[key] = jsonCell(r, col, raw)
		}
	}
	if _, err := dec.Token(); err != nil {
		r.bad(rowField, "is not valid JSON: %v", err)
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		r.bad(rowField, "must hold exactly one JSON object")
	}
}

// jsonCell turns a JSON value into a cell: a string as is, a number as its
// text, null as empty, and for a list column an array of strings.
func jsonCell(r *row, col column, raw json.RawMessage) cell {
	var c cell
	switch raw[0] {
	case '"':
		json.Unmarshal(raw, &c.text) // cannot fail: Decode checked the syntax
	case 'n':
	case '[':
		if !col.list {
			r.bad(col.name, "must be a string or a number, not an array")
		} else if err := json.Unmarshal(raw, &c.list); err != nil {
			r.bad(col.name, "must be an array of strings")
		}
		c.isList = true
	case '{':
		r.bad(col.name, "must be a string or a number, not an object")
	case 't', 'f':
		r.bad(col.name, "must be a string or a number, not true or false")
	default:
		c.text = string(raw)
	}
	return c
}
