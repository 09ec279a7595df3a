package selfservice

import (
	"strings"

	"accord/internal/borrower"
)

// mobileOf returns the first mobile number of phones, or "".
func mobileOf(phones []borrower.Phone) string {
	for _, p := range phones {
		if p.Kind == "mobile" || (p.Kind == "" && strings.HasPrefix(p.Number, "+861")) {
			return p.Number
		}
	}
	return ""
}
