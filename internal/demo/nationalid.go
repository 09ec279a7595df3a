package demo

import (
	"fmt"

	"accord/internal/date"
)

// idWeights are the GB 11643-1999 weights of the first 17 digits of a
// resident identity number; idCheck maps the weighted sum mod 11 to the
// check character.
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheck   = "10X98765432"
)

// checkDigit returns the check character of the first 17 digits of id.
func checkDigit(id []byte) byte {
	sum := 0
	for i, w := range idWeights {
		sum += int(id[i]-'0') * w
	}
	return idCheck[sum%11]
}

// validNationalID reports whether id has the form of an 18-character
// resident identity number (17 digits and a check character that matches).
func validNationalID(id string) bool {
	if len(id) != 18 {
		return false
	}
	for i := range 17 {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return checkDigit([]byte(id)) == id[17]
}

// nationalID returns an identity number for someone registered in the
// division with the given 6-digit code and born on birth: code, birth date
// YYYYMMDD, a 3-digit sequence whose last digit is odd for men and even for
// women, and the check character.
func (r rng) nationalID(code string, birth date.Date, male bool) string {
	b := make([]byte, 0, 18)
	y, m, d := birth.Parts() // not String: 1969-12-31 is the zero Date, which prints as ""
	b = append(b, code...)
	b = fmt.Appendf(b, "%04d%02d%02d", y, int(m), d)
	b = r.digits(b, 2)
	sex := 2 * r.IntN(5)
	if male {
		sex++
	}
	b = append(b, byte('0'+sex))
	b = append(b, checkDigit(b))
	return string(b)
}
