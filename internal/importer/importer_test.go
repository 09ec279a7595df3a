package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
)

func TestParseKind(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds() {
		if got, err := ParseKind(" " + strings.ToUpper(string(k))); got != k || err != nil {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	if _, err := ParseKind("cases"); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("ParseKind(cases) error = %v, want Invalid", err)
	}
}

// TestParse_Examples parses every file in testdata, which docs/IMPORT.md
// shows, and checks that the CSV and JSON-lines forms of each kind agree.
func TestParse_Examples(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds() {
		t.Run(string(k), func(t *testing.T) {
			t.Parallel()
			var batches []Batch
			for _, ext := range []string{".csv", ".jsonl"} {
				data := mustRead(t, "testdata/"+string(k)+ext)
				b, err := Parse(k, string(k)+ext, strings.NewReader(string(data)))
				if err != nil {
					t.Fatalf("Parse(%s%s): %v", k, ext, err)
				}
				sum := sha256.Sum256(data)
				if b.Kind != k || b.Rows != 3 || b.SHA256 != hex.EncodeToString(sum[:]) {
					t.Errorf("%s%s: Kind %q, Rows %d, SHA256 %s", k, ext, b.Kind, b.Rows, b.SHA256)
				}
				batches = append(batches, b)
			}
			// The examples differ on purpose only in row numbers and in
			// loan L2003's penalty rate (0 in CSV, null → default in JSON).
			ignore := cmp.Options{
				cmpopts.IgnoreFields(Batch{}, "SHA256"),
				cmpopts.IgnoreFields(BorrowerRow{}, "Row"), cmpopts.IgnoreFields(ContactRow{}, "Row"),
				cmpopts.IgnoreFields(LoanRow{}, "Row"), cmpopts.IgnoreFields(PaymentRow{}, "Row"),
				cmpopts.IgnoreFields(ledger.Loan{}, "PenaltyRateDaily"),
				cmpopts.IgnoreFields(borrower.Address{}, "Line"),
			}
			if diff := cmp.Diff(batches[0], batches[1], ignore); diff != "" {
				t.Errorf("CSV and JSON lines differ (-csv +jsonl):\n%s", diff)
			}
		})
	}
}

func TestParse_Values(t *testing.T) {
	t.Parallel()
	parse := func(k Kind) Batch {
		b, err := Parse(k, string(k)+".csv", strings.NewReader(string(mustRead(t, "testdata/"+string(k)+".csv"))))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	bs := parse(Borrowers).Borrowers
	if got := bs[0]; got.Row != 2 || len(got.Borrower.Phones) != 2 || got.Borrower.Phones[1].Number != "+8613900139000" ||
		got.Borrower.MonthlyIncome != money.Yuan(8000) || got.Borrower.Addresses[0].Lat != 22.54 {
		t.Errorf("borrower row 2 = %+v", got)
	}
	if got := bs[1].Borrower; got.Phones[0].Number != "+8613700137000" || len(got.Flags) != 2 || got.Addresses[0].Kind != "work" {
		t.Errorf("borrower row 3 = %+v", got)
	}
	if got := bs[2].Borrower; got.TimeZone != "Asia/Shanghai" || got.Language != "zh-CN" || got.Addresses != nil || got.Phones != nil {
		t.Errorf("borrower row 4 defaults = %+v", got)
	}

	cs := parse(Contacts).Contacts
	if want := time.Date(2024, 3, 1, 2, 15, 0, 0, time.UTC); !cs[0].Contact.ConsentAt.Equal(want) || cs[0].Contact.ConsentAt.Location() != time.UTC {
		t.Errorf("consent_at in China time = %v, want %v", cs[0].Contact.ConsentAt, want)
	}
	if cs[0].BorrowerExternalID != "B1001" || cs[0].Contact.Phone != "+8613500135000" {
		t.Errorf("contact row 2 = %+v", cs[0])
	}

	ls := parse(Loans).Loans
	if got := ls[0].Loan; got.Status != ledger.Active || got.PenaltyRateDaily.String() != "0.0005" || got.LateFee != 0 || got.Method != ledger.EqualInstallment {
		t.Errorf("loan defaults = %+v", got)
	}
	if got := ls[1].Loan; got.DisbursedOn != date.MustParse("2024-06-18") || got.LateFee != 50_00 || got.Status != ledger.Delinquent {
		t.Errorf("loan row 3 = %+v", got)
	}
	if got := ls[2].Loan; got.Method != ledger.InterestFirst || got.Principal != 5000_50 {
		t.Errorf("loan row 4 = %+v", got)
	}

	ps := parse(Payments).Payments
	if got := ps[0]; got.LoanExternalID != "L2001" || got.Payment.Channel != "bank_transfer" || !got.Payment.ReceivedAt.IsZero() || got.Payment.Amount != 916_80 {
		t.Errorf("payment row 2 = %+v", got)
	}
	if got := ps[2].Payment.ReceivedAt; !got.Equal(time.Date(2024, 7, 18, 15, 59, 59, 0, time.UTC)) {
		t.Errorf("received_at = %v", got)
	}
}

func TestParse_File(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		kind  Kind
		file  string
		data  string
		rows  int    // when valid
		msg   string // part of the error message when invalid
		wants []want
	}{
		{name: "BOM and CRLF", kind: Payments, file: "p.csv", data: "\uFEFFexternal_id,loan_external_id,amount,paid_on\r\nP1,L1,1.00,2025-01-02\r\n", rows: 1},
		{name: "header in any order and case", kind: Payments, file: "p.csv", data: lines(" Paid_On ,AMOUNT,loan_external_id,external_id", "2025-01-02,1,L1,P1"), rows: 1},
		{name: "blank rows skipped", kind: Payments, file: "p.csv", data: lines("external_id,loan_external_id,amount,paid_on", "", "P1,L1,1,2025-01-02", ",,,", " , , , ", ",,"), rows: 1},
		{name: "JSON lines by content", kind: Payments, file: "upload", data: `  {"external_id":"P1","loan_external_id":"L1","amount":1,"paid_on":"2025-01-02"}`, rows: 1},
		{name: "CSV by content", kind: Payments, file: "upload.txt", data: lines("external_id,loan_external_id,amount,paid_on", "P1,L1,1,2025-01-02"), rows: 1},
		{name: "JSON lines with BOM and blank lines", kind: Payments, file: "p.ndjson", data: "\uFEFF\n\r\n" + `{"external_id":"P1","loan_external_id":"L1","amount":1,"paid_on":"2025-01-02"}` + "\r\n\n", rows: 1},

		{name: "empty", kind: Borrowers, file: "b.csv", data: "", msg: "has no data rows"},
		{name: "header only", kind: Borrowers, file: "b.csv", data: lines("external_id,name"), msg: "has no data rows"},
		{name: "JSON lines empty", kind: Borrowers, file: "b.jsonl", data: "\n\n", msg: "has no data rows"},
		{name: "UTF-16", kind: Borrowers, file: "b.csv", data: "\xff\xfee\x00x\x00", msg: "is UTF-16 text; save it as UTF-8"},
		{name: "JSON array", kind: Borrowers, file: "b.json", data: `[{"external_id":"B1"}]`, msg: "is a JSON array"},
		{name: "unknown column", kind: Borrowers, file: "b.csv", data: lines("external_id,name,nickname", "B1,张三,小张"), msg: "bad header row",
			wants: []want{{1, "nickname", "is an unknown column; a borrowers file has the columns external_id, name, national_id"}}},
		{name: "missing required column", kind: Loans, file: "l.csv", data: lines("external_id,borrower_external_id,product_code,principal,annual_rate,term_months,disbursed_on", "L1,B1,P,1,0.1,12,2025-01-01"),
			wants: []want{{1, "method", "is a required column and is missing"}}},
		{name: "repeated and unnamed columns", kind: Borrowers, file: "b.csv", data: lines("external_id,name,,Name", "B1,张三,,张三"),
			wants: []want{{1, "column 3", "has no name"}, {1, "name", "appears twice, as columns 2 and 4"}}},
		{name: "header not CSV", kind: Borrowers, file: "b.csv", data: lines(`external_id,"name`, "B1"), msg: "bad header row",
			wants: []want{{1, rowField, "is not valid CSV"}}},
		{name: "header after blank lines", kind: Borrowers, file: "b.csv", data: lines("", "", "external_id,nick"),
			wants: []want{{3, "nick", "unknown column"}, {3, "name", "required column"}}},
		{name: "line too long", kind: Borrowers, file: "b.csv", data: lines("external_id,name", "B1,"+strings.Repeat("x", MaxLineBytes)), msg: "line 2 is longer than 1048576 bytes"},
		{name: "JSON line too long", kind: Borrowers, file: "b.jsonl", data: lines(`{"external_id":"B1"}`, `{"name":"`+strings.Repeat("x", MaxLineBytes)+`"}`), msg: "line 2 is longer than 1048576 bytes"},
		{name: "nothing partial", kind: Payments, file: "p.csv", data: lines("external_id,loan_external_id,amount,paid_on", "P1,L1,1,2025-01-02", "P2,L1,0,2025-01-02"),
			msg: "Import file p.csv has 1 invalid row.", wants: []want{{3, "amount", "must be greater than zero"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := Parse(tt.kind, tt.file, strings.NewReader(tt.data))
			if tt.msg == "" && tt.wants == nil {
				if err != nil || b.Rows != tt.rows {
					t.Fatalf("Parse() = %d rows, %v; want %d rows", b.Rows, err, tt.rows)
				}
				return
			}
			if !cmp.Equal(b, Batch{}) {
				t.Errorf("Parse() returned a batch with the error: %+v", b)
			}
			if !strings.Contains(errs.MessageOf(err), tt.msg) || errs.CodeOf(err) != errs.Invalid {
				t.Errorf("error = %v, want Invalid containing %q", err, tt.msg)
			}
			if tt.wants != nil {
				checkFields(t, err, tt.wants...)
			}
		})
	}
}

func TestParse_ManyErrors(t *testing.T) {
	t.Parallel()
	rows := []string{"external_id,name"}
	for i := range 150 {
		rows = append(rows, fmt.Sprintf("B%d,", i))
	}
	_, err := Parse(Borrowers, "b.csv", strings.NewReader(lines(rows...)))
	if got := errs.MessageOf(err); got != "Import file b.csv has 150 invalid rows. Only the first 100 problems are listed." {
		t.Errorf("message = %q", got)
	}
	if fs := errs.FieldsOf(err); len(fs) != MaxErrors || fs[99].Row != 101 {
		t.Errorf("got %d fields, last %v", len(fs), fs[len(fs)-1])
	}
}

func TestParse_MaxRows(t *testing.T) {
	t.Parallel()
	c := newCollector(Payments, "p.jsonl", specs[Payments])
	c.maxRows = 2
	err := readJSONL(strings.NewReader(lines("{}", "{}", "{}")), c)
	if !strings.Contains(errs.MessageOf(err), "has more than 2 rows; split it") {
		t.Errorf("error = %v", err)
	}
}

func TestParse_ReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	for _, file := range []string{"b.csv", "b.jsonl"} {
		_, err := Parse(Borrowers, file, iotest.ErrReader(boom))
		if !errors.Is(err, boom) || errs.CodeOf(err) != errs.Internal {
			t.Errorf("%s: error = %v, want %v as Internal", file, err, boom)
		}
	}
}

func TestParse_UnknownKind(t *testing.T) {
	t.Parallel()
	if _, err := Parse("cases", "c.csv", strings.NewReader("")); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("error = %v, want Invalid", err)
	}
}

// TestDocs checks that docs/IMPORT.md names every column.
func TestDocs(t *testing.T) {
	t.Parallel()
	doc := string(mustRead(t, "../../docs/IMPORT.md"))
	for _, k := range Kinds() {
		for _, c := range specs[k].columns {
			if !strings.Contains(doc, "`"+c.name+"`") {
				t.Errorf("docs/IMPORT.md does not describe %s column `%s`", k, c.name)
			}
		}
	}
}
