package importer

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParse_Fields checks the error reported for each kind of bad value.
// Every file has one valid row (line 2) before the bad ones, to show that a
// file with any bad row yields no batch.
func TestParse_Fields(t *testing.T) {
	t.Parallel()
	const (
		bHead = "external_id,name,national_id,phones,time_zone,language,monthly_income,address_kind,lat,lon,flags"
		bOK   = "B0,张三,11010519491231002X,13800138000,,,,,,,"
		cHead = "external_id,borrower_external_id,name,relationship,phone,consent_basis,consent_at"
		cOK   = "C0,B0,张父,parent,13500135000,loan_application,2024-03-01 10:15:00"
		lHead = "external_id,borrower_external_id,product_code,principal,annual_rate,term_months,method,disbursed_on,penalty_rate_daily,late_fee,status"
		lOK   = "L0,B0,CASH12,10000,0.18,12,equal_installment,2024-03-05,,,"
		pHead = "external_id,loan_external_id,amount,paid_on,channel,received_at"
		pOK   = "P0,L0,100,2024-04-05,,"
	)
	tests := []struct {
		name  string
		kind  Kind
		file  string
		data  string
		wants []want
	}{
		{"borrower national id", Borrowers, "b.csv", lines(bHead, bOK, "B1,李四,110105194912310021,,,,,,,,"),
			[]want{{3, "national_id", "check digit"}}},
		{"borrower phone", Borrowers, "b.csv", lines(bHead, bOK, "B1,李四,,13800138000;12345,,,,,,,"),
			[]want{{3, "phones", `"*2345" is not a phone number in E.164 form`}}},
		{"bad phone named masked", Borrowers, "b.csv", lines(bHead, bOK, "B1,李四,,+86 1380013800,,,,,,,"),
			[]want{{3, "phones", `"861*****3800" is not a phone number`}}},
		{"borrower time zone and language", Borrowers, "b.csv", lines(bHead, bOK, "B1,李四,,,Mars/Olympus,中文,,,,,"),
			[]want{{3, "time_zone", "IANA time zone"}, {3, "language", "language tag such as zh-CN"}}},
		{"borrower income", Borrowers, "b.csv", lines(bHead, bOK, `B1,李四,,,,,"8,000.00",,,,`, "B2,王五,,,,,-1,,,,"),
			[]want{{3, "monthly_income", "amount in yuan with at most two decimal places"}, {4, "monthly_income", "must not be negative"}}},
		{"borrower address", Borrowers, "b.csv", lines(bHead, bOK, "B1,李四,,,,,,office,95,,", "B2,王五,,,,,,,22.5,,", "B3,赵六,,,,,,,NaN,1,"),
			[]want{{3, "address_kind", "must be one of home, work, registered"}, {3, "lat", "between -90 and 90"},
				{4, "lon", "is required when lat is given"}, {5, "lat", "between -90 and 90"}}},
		{"borrower flags", Borrowers, "b.csv", lines(bHead, bOK, "B1,李四,,,,,,,,,vulnerable;Lost Contact"),
			[]want{{3, "flags", `"Lost Contact" is not a flag`}}},
		{"borrower name", Borrowers, "b.csv", lines(bHead, bOK, "B1,,,,,,,,,,", "B2,"+strings.Repeat("名", 101)+",,,,,,,,,"),
			[]want{{3, "name", "is required"}, {4, "name", "at most 100 characters"}}},
		{"borrower not UTF-8", Borrowers, "b.csv", lines(bHead, bOK, "B1,\xd5\xc5\xc8\xfd,,,,,,,,,"), // 张三 in GBK
			[]want{{3, "name", "is not valid UTF-8 text; save the file as UTF-8"}}},
		{"borrower control character", Borrowers, "b.jsonl", `{"external_id":"B1","name":"张\u0000三"}`,
			[]want{{1, "name", "contains a control character"}}},
		{"borrower external id", Borrowers, "b.csv", lines(bHead, bOK, " ,李四,,,,,,,,,", strings.Repeat("B", 101)+",李四,,,,,,,,,"),
			[]want{{3, "external_id", "is required"}, {4, "external_id", "at most 100 characters"}}},

		{"contact relationship and phone", Contacts, "c.csv", lines(cHead, cOK, "C1,B0,某,boss,abc,loan_application,2024-03-01 10:15:00"),
			[]want{{3, "relationship", "must be one of spouse, parent"}, {3, "phone", `"***" is not a phone number`}}},
		{"contact consent", Contacts, "c.csv", lines(cHead, cOK, "C1,B0,某,friend,13500135000,,2024-13-01 10:00:00", "C2,B0,某,friend,13500135000,written,1960-01-01 00:00:00"),
			[]want{{3, "consent_basis", "is required"}, {3, "consent_at", "must be a time such as 2025-01-15T09:30:00+08:00"},
				{4, "consent_at", "between 1970 and 2099"}}},
		{"contact missing borrower", Contacts, "c.csv", lines(cHead, cOK, "C1,,某,friend,13500135000,written,2024-03-01T10:00:00Z"),
			[]want{{3, "borrower_external_id", "is required"}}},

		{"loan amounts", Loans, "l.csv", lines(lHead, lOK, "L1,B0,P,abc,0.18,12,equal_installment,2024-03-05,,-5,", "L2,B0,P,0,0.18,12,equal_installment,2024-03-05,,,"),
			[]want{{3, "principal", "amount in yuan"}, {3, "late_fee", "must not be negative"}, {4, "principal", "greater than zero"}}},
		{"loan rates", Loans, "l.csv", lines(lHead, lOK, "L1,B0,P,1000,18%,12,equal_installment,2024-03-05,0.05,,", "L2,B0,P,1000,18,12,equal_installment,2024-03-05,-0.1,,"),
			[]want{{3, "annual_rate", "decimal fraction such as 0.12 for 12% a year"}, {3, "penalty_rate_daily", "between 0 and 0.01"},
				{4, "annual_rate", "between 0 and 1"}, {4, "penalty_rate_daily", "between 0 and 0.01"}}},
		{"loan term, method and date", Loans, "l.csv", lines(lHead, lOK, "L1,B0,P,1000,0.1,twelve,balloon,05/03/2024,,,", "L2,B0,P,1000,0.1,0,equal_principal,1969-12-31,,,"),
			[]want{{3, "term_months", "whole number"}, {3, "method", "equal_installment, equal_principal or interest_first"},
				{3, "disbursed_on", "must be a date YYYY-MM-DD"}, {4, "term_months", "between 1 and 360"}, {4, "disbursed_on", "between 1970 and 2099"}}},
		{"loan status", Loans, "l.csv", lines(lHead, lOK, "L1,B0,P,1000,0.1,12,equal_principal,2024-03-05,,,open"),
			[]want{{3, "status", "must be one of active, delinquent"}}},
		{"loan everything missing, in column order", Loans, "l.csv", lines(lHead, lOK, ",,,,,,,,,,x"),
			[]want{{3, "external_id", "is required"}, {3, "borrower_external_id", "is required"}, {3, "product_code", "is required"},
				{3, "principal", "is required"}, {3, "annual_rate", "is required"}, {3, "term_months", "is required"},
				{3, "method", "is required"}, {3, "disbursed_on", "is required"}, {3, "status", "must be one of"}}},

		{"payment values", Payments, "p.csv", lines(pHead, pOK, "P1,L0,0,,Bank Transfer,yesterday", "P2,L0,-3.00,2024-04-05,,"),
			[]want{{3, "amount", "greater than zero"}, {3, "paid_on", "is required"}, {3, "channel", "channel code such as bank_transfer"},
				{3, "received_at", "must be a time"}, {4, "amount", "greater than zero"}}},

		{"duplicate external ids", Payments, "p.csv", lines(pHead, pOK, "P1,L0,1,2024-04-05,,", "P0,L0,1,2024-04-05,,", "P1,L0,1,2024-04-05,,"),
			[]want{{4, "external_id", "duplicate external_id also on row 2"}, {5, "external_id", "duplicate external_id also on row 3"}}},
		{"duplicate external ids in JSON lines", Borrowers, "b.jsonl", lines(`{"external_id":"B1","name":"甲"}`, "", `{"external_id":"B1","name":"乙"}`),
			[]want{{3, "external_id", "duplicate external_id also on row 1"}}},

		{"CSV row with too many values", Payments, "p.csv", lines(pHead, pOK, "P1,L0,1,2024-04-05,,,extra"),
			[]want{{3, rowField, "has 7 values but the header row has 6 columns"}}},
		{"CSV bare quote, and reading goes on", Payments, "p.csv", lines(pHead, pOK, `P1,L0,1,2024"04,,`, "P2,L0,0,2024-04-05,,"),
			[]want{{3, rowField, "is not valid CSV"}, {4, "amount", "greater than zero"}}},
		{"CSV row numbers are lines", Borrowers, "b.csv", lines("external_id,name,employer", `B1,张三,"深圳市`, `某公司"`, "B2,,"),
			[]want{{4, "name", "is required"}}},

		{"JSON unknown key", Borrowers, "b.jsonl", `{"external_id":"B1","name":"甲","nickname":"小甲"}`,
			[]want{{1, "nickname", "is an unknown key; a borrowers file has the keys external_id, name"}}},
		{"JSON repeated key", Borrowers, "b.jsonl", `{"external_id":"B1","name":"甲","name":"乙"}`,
			[]want{{1, "name", "appears twice"}}},
		{"JSON value types", Borrowers, "b.jsonl", `{"external_id":"B1","name":["甲"],"employer":{"x":1},"language":true,"phones":[1],"flags":["vulnerable"]}`,
			[]want{{1, "name", "not an array"}, {1, "phones", "must be an array of strings"}, {1, "language", "not true or false"}, {1, "employer", "not an object"}}},
		{"JSON missing key", Payments, "p.jsonl", `{"external_id":"P1","amount":1,"paid_on":"2025-01-01","loan_external_id":null}`,
			[]want{{1, "loan_external_id", "is required"}}},
		{"JSON not JSON", Payments, "p.jsonl", lines(`{"external_id":"P1",}`, `["P1"]`, `{"external_id":"P1"} {}`, `{"external_id":"P1"`),
			[]want{{1, rowField, "is not valid JSON"}, {2, rowField, "must be a JSON object"}, {3, rowField, "exactly one JSON object"}, {4, rowField, "is not valid JSON"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := Parse(tt.kind, tt.file, strings.NewReader(tt.data))
			if !cmp.Equal(b, Batch{}) {
				t.Errorf("Parse() returned a batch with the error: %+v", b)
			}
			checkFields(t, err, tt.wants...)
		})
	}
}
