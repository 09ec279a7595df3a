package offer

import "accord/internal/errs"

func errsFields(err error) []string {
	var s []string
	for _, f := range errs.FieldsOf(err) {
		s = append(s, f.Field)
	}
	return s
}
