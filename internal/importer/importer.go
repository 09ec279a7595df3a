package importer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/ledger"
)

// Kind is what an import file holds.
type Kind string

// The kinds, in the order a first load needs them: borrowers before their
// contacts and loans, loans before their payments.
const (
	Borrowers Kind = "borrowers"
	Contacts  Kind = "contacts"
	Loans     Kind = "loans"
	Payments  Kind = "payments"
)

// Kinds returns every Kind in load order.
func Kinds() []Kind { return []Kind{Borrowers, Contacts, Loans, Payments} }

// ParseKind returns the Kind named s ("borrowers", "contacts", "loans" or
// "payments"). It returns an Invalid error for anything else.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := specs[k]; !ok {
		return "", errs.Errorf(errs.Invalid, "Import kind %q is not one of borrowers, contacts, loans, payments.", s)
	}
	return k, nil
}

// Limits on one file. A bigger load is split into several files.
const (
	MaxRows      = 2_000_000 // data rows
	MaxLineBytes = 1 << 20   // bytes in one line, without the line break
	MaxErrors    = 100       // field errors listed; the count of invalid rows is always exact
)

// Batch is the parsed content of one import file. Only the slice of its Kind
// is filled. Rows is the number of data rows; SHA256 is the hex digest of the
// file's bytes, for recording which file was applied.
type Batch struct {
	Kind      Kind
	Rows      int
	SHA256    string
	Borrowers []BorrowerRow
	Contacts  []ContactRow
	Loans     []LoanRow
	Payments  []PaymentRow
}

// BorrowerRow is a borrower and the line it was read from.
type BorrowerRow struct {
	Row      int
	Borrower borrower.Borrower
}

// ContactRow is a registered contact of the borrower with external id
// BorrowerExternalID; Contact.BorrowerID is left zero for the caller to fill.
type ContactRow struct {
	Row                int
	BorrowerExternalID string
	Contact            borrower.Contact
}

// LoanRow is a loan to the borrower with external id BorrowerExternalID;
// Loan.BorrowerID is left zero for the caller to fill.
type LoanRow struct {
	Row                int
	BorrowerExternalID string
	Loan               ledger.Loan
}

// PaymentRow is a payment against the loan with external id LoanExternalID;
// Payment.LoanID is left zero for the caller to fill.
type PaymentRow struct {
	Row            int
	LoanExternalID string
	Payment        ledger.Payment
}

// Parse reads an import file of the given kind from r; name is the file's
// name, used in messages and to tell the format.
//
// A name ending in .jsonl or .ndjson is JSON lines, one ending in .csv is
// CSV, and otherwise a file whose first character is "{" is JSON lines and
// anything else CSV. Either may start with a UTF-8 byte order mark.
//
// Parse returns the whole Batch or an error, never both. A file that is not
// well formed (empty, a bad header row, a line over MaxLineBytes, more than
// MaxRows rows) or has any invalid row is an Invalid error; for invalid rows
// it is errs.Fields("Import file NAME has N invalid rows.", …) with one
// FieldError per problem, Row being the line number. A read error from r is
// returned wrapped, as an Internal error.
//
// Parse checks each row on its own and external ids for repeats within the
// file; whether the borrowers and loans that rows name exist, and whether an
// external id is already stored, is the caller's to check.
func Parse(kind Kind, name string, r io.Reader) (Batch, error) {
	sp, ok := specs[kind]
	if !ok {
		return Batch{}, errs.Errorf(errs.Invalid, "Import kind %q is not one of borrowers, contacts, loans, payments.", kind)
	}
	if name == "" {
		name = "(unnamed)"
	}
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(r, h), 64<<10)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\uFEFF")) {
		br.Discard(3)
	}
	c := newCollector(kind, name, sp)
	err := c.read(br)
	if err == nil {
		err = c.err()
	}
	if err == nil {
		_, err = io.Copy(io.Discard, br) // hash any bytes the reader left
	}
	var le *lineTooLongError
	switch {
	case errs.CodeOf(err) == errs.Invalid:
		return Batch{}, err
	case errors.As(err, &le):
		return Batch{}, errs.Errorf(errs.Invalid, "Import file %s: line %d is longer than %d bytes.", name, le.line, MaxLineBytes)
	case err != nil:
		return Batch{}, fmt.Errorf("read import file %s: %w", name, err)
	}
	c.batch.SHA256 = hex.EncodeToString(h.Sum(nil))
	return c.batch, nil
}

// read reads the rows of the file in br, in whichever format it is.
func (c *collector) read(br *bufio.Reader) error {
	switch format(c.name, br) {
	case jsonLines:
		return readJSONL(br, c)
	case utf16:
		return errs.Errorf(errs.Invalid, "Import file %s is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8).", c.name)
	case jsonArray:
		return errs.Errorf(errs.Invalid, "Import file %s is a JSON array; write one JSON object per line (JSON lines) instead.", c.name)
	}
	return readCSV(br, c)
}

type fileFormat int

const (
	csvFile fileFormat = iota
	jsonLines
	jsonArray
	utf16 // Excel's "Unicode text"
)

// format tells the format of a file from its name or, failing that, from
// its first non-blank character.
func format(name string, br *bufio.Reader) fileFormat {
	if b, _ := br.Peek(2); bytes.Equal(b, []byte{0xff, 0xfe}) || bytes.Equal(b, []byte{0xfe, 0xff}) {
		return utf16
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return jsonLines
	case ".csv":
		return csvFile
	}
	head, _ := br.Peek(512)
	switch head = bytes.TrimLeft(head, " \t\r\n"); {
	case len(head) > 0 && head[0] == '{':
		return jsonLines
	case len(head) > 0 && head[0] == '[':
		return jsonArray
	}
	return csvFile
}
