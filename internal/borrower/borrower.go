// Package borrower describes the people Accord collects from: the borrower
// (借款人), their phones and addresses, and the third parties they registered
// (登记联系人) with the basis on which each may be contacted.
package borrower

import (
	"time"

	"accord/internal/money"
)

// DefaultTimeZone is the IANA zone assumed for a borrower when none is given.
const DefaultTimeZone = "Asia/Shanghai"

// Borrower is a person with one or more loans.
//
// NationalID and the phone numbers are personal data: the store encrypts them
// at rest and the web layer masks them for roles that do not need them.
type Borrower struct {
	ID            int64        `json:"id"`
	ExternalID    string       `json:"external_id"` // id in the lender's core system; unique
	Name          string       `json:"name"`
	NationalID    string       `json:"national_id"` // 18-character resident identity number
	Phones        []Phone      `json:"phones"`
	Addresses     []Address    `json:"addresses"`
	TimeZone      string       `json:"time_zone"` // IANA name, default Asia/Shanghai
	Language      string       `json:"language"`  // BCP 47: zh-CN, en …
	Employer      string       `json:"employer"`
	MonthlyIncome money.Amount `json:"monthly_income"` // declared, in fen
	Flags         []string     `json:"flags"`          // vulnerable, disputed, cease, lost_contact …
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
}

// Phone is one of a borrower's numbers, in E.164 form (+8613800138000).
type Phone struct {
	Number string `json:"number"`
	Kind   string `json:"kind"` // mobile, home, work
}

// Address is a place where a borrower lives or works, with coordinates for
// field-visit planning.
type Address struct {
	Kind   string  `json:"kind"` // home, work, registered (户籍)
	Line   string  `json:"line"`
	City   string  `json:"city"`
	Region string  `json:"region"` // province-level division: 广东省 …
	Lat    float64 `json:"lat"`
	Lon    float64 `json:"lon"`
}

// Contact is a third party the borrower registered (登记联系人), such as a
// parent or a colleague. A contact may be reached only within the limits the
// contact governor sets: never to be told of the debt unless a legal
// determination makes them a debt-related party.
type Contact struct {
	ID           int64     `json:"id"`
	ExternalID   string    `json:"external_id"`
	BorrowerID   int64     `json:"borrower_id"`
	Name         string    `json:"name"`
	Relationship string    `json:"relationship"` // spouse, parent, sibling, child, friend, colleague, other
	Phone        string    `json:"phone"`
	ConsentBasis string    `json:"consent_basis"` // how consent was recorded: loan_application, call_recording, written …
	ConsentAt    time.Time `json:"consent_at"`    // when it was recorded
	CreatedAt    time.Time `json:"created_at"`
}
