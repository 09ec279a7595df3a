package borrower

import (
	"strings"
	"time"
	"unicode/utf8"

	"accord/internal/errs"
)

// Validate checks a borrower's fields and returns an Invalid error listing
// every field at fault, or nil.
func (b Borrower) Validate() error {
	var fs []errs.FieldError
	add := func(field, msg string) { fs = append(fs, errs.FieldError{Field: field, Message: msg}) }
	if strings.TrimSpace(b.ExternalID) == "" {
		add("external_id", "is required")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(b.Name)); n == 0 || n > 100 {
		add("name", "is required and at most 100 characters")
	}
	if b.NationalID != "" && !ValidNationalID(b.NationalID) {
		add("national_id", "is not a valid 18-character resident identity number (check digit)")
	}
	for i, p := range b.Phones {
		if !ValidPhone(p.Number) {
			add("phones["+itoa(i)+"]", "is not a phone number in E.164 form such as +8613800138000")
		}
	}
	if b.TimeZone != "" {
		if _, err := time.LoadLocation(b.TimeZone); err != nil || b.TimeZone == "Local" {
			add("time_zone", "is not an IANA time zone such as Asia/Shanghai")
		}
	}
	if b.MonthlyIncome < 0 {
		add("monthly_income", "must not be negative")
	}
	for i, a := range b.Addresses {
		if a.Lat < -90 || a.Lat > 90 || a.Lon < -180 || a.Lon > 180 {
			add("addresses["+itoa(i)+"]", "latitude must be within ±90 and longitude within ±180")
		}
	}
	if len(fs) > 0 {
		return errs.Fields("Invalid borrower.", fs...)
	}
	return nil
}

// Validate checks a contact's fields.
func (c Contact) Validate() error {
	var fs []errs.FieldError
	if strings.TrimSpace(c.ExternalID) == "" {
		fs = append(fs, errs.FieldError{Field: "external_id", Message: "is required"})
	}
	if strings.TrimSpace(c.Name) == "" {
		fs = append(fs, errs.FieldError{Field: "name", Message: "is required"})
	}
	if !validRelationship[c.Relationship] {
		fs = append(fs, errs.FieldError{Field: "relationship", Message: "must be one of spouse, parent, child, sibling, relative, friend, colleague, other"})
	}
	if !ValidPhone(c.Phone) {
		fs = append(fs, errs.FieldError{Field: "phone", Message: "is not a phone number in E.164 form such as +8613800138000"})
	}
	if strings.TrimSpace(c.ConsentBasis) == "" {
		fs = append(fs, errs.FieldError{Field: "consent_basis", Message: "is required: how the borrower's consent to register this contact was recorded"})
	}
	if c.ConsentAt.IsZero() {
		fs = append(fs, errs.FieldError{Field: "consent_at", Message: "is required: when consent was recorded"})
	}
	if len(fs) > 0 {
		return errs.Fields("Invalid contact.", fs...)
	}
	return nil
}

var validRelationship = map[string]bool{"spouse": true, "parent": true, "child": true, "sibling": true,
	"relative": true, "friend": true, "colleague": true, "other": true}

// ValidPhone reports whether s is an E.164 number: "+", a country code and
// up to 15 digits in all; a Chinese (+86) number must be a mobile
// (1[3-9]xxxxxxxxx) or an area-coded landline.
func ValidPhone(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	if rest, ok := strings.CutPrefix(s, "+86"); ok {
		if rest[0] == '1' && rest[1] != '0' { // 10 is Beijing's area code
			return len(rest) == 11 && rest[1] >= '3'
		}
		return len(rest) >= 9 && len(rest) <= 12
	}
	return true
}

// ValidNationalID reports whether id is an 18-character PRC resident
// identity number with a correct ISO 7064 MOD 11-2 check character.
func ValidNationalID(id string) bool {
	if len(id) != 18 {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i]
	}
	check := "10X98765432"[sum%11]
	last := id[17]
	if last == 'x' {
		last = 'X'
	}
	return last == check
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
