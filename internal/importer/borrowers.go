package importer

import (
	"regexp"
	"slices"
	"strings"

	"accord/internal/borrower"
)

var borrowerColumns = []column{
	{name: "external_id", required: true},
	{name: "name", required: true},
	{name: "national_id"},
	{name: "phones", list: true},
	{name: "time_zone"},
	{name: "language"},
	{name: "employer"},
	{name: "monthly_income"},
	{name: "address_kind"},
	{name: "address_line"},
	{name: "city"},
	{name: "region"},
	{name: "lat"},
	{name: "lon"},
	{name: "flags", list: true},
}

// DefaultLanguage is the language a borrower gets when the file gives none.
const DefaultLanguage = "zh-CN"

// languageTag is the shape of a BCP 47 tag as Accord uses them: zh-CN, en,
// zh-Hant-TW.
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`).MatchString

func convertBorrower(r *row, b *Batch) {
	br := borrower.Borrower{
		ExternalID:    r.id("external_id"),
		Name:          r.str("name"),
		NationalID:    strings.ToUpper(r.str("national_id")),
		Phones:        borrowerPhones(r),
		TimeZone:      r.str("time_zone"),
		Language:      r.str("language"),
		Employer:      r.str("employer"),
		MonthlyIncome: r.amount("monthly_income", 0),
		Flags:         borrowerFlags(r),
	}
	if br.TimeZone == "" {
		br.TimeZone = borrower.DefaultTimeZone
	}
	if br.Language == "" {
		br.Language = DefaultLanguage
	} else if !languageTag(br.Language) {
		r.bad("language", "must be a language tag such as zh-CN or en")
	}
	if a, ok := borrowerAddress(r); ok {
		br.Addresses = []borrower.Address{a}
	}
	r.merge(br.Validate(), map[string]string{"addresses": "address_line"})
	if r.ok() {
		b.Borrowers = append(b.Borrowers, BorrowerRow{Row: r.line, Borrower: br})
	}
}

// borrowerPhones returns the normalised phones, each once. A mainland
// landline is a home phone and anything else a mobile.
func borrowerPhones(r *row) []borrower.Phone {
	var out []borrower.Phone
	for _, s := range r.list("phones") {
		n := r.phone("phones", s)
		if n == "" || slices.ContainsFunc(out, func(p borrower.Phone) bool { return p.Number == n }) {
			continue
		}
		kind := "mobile"
		if strings.HasPrefix(n, "+86") && !strings.HasPrefix(n, "+861") {
			kind = "home"
		}
		out = append(out, borrower.Phone{Number: n, Kind: kind})
	}
	return out
}

// borrowerFlags returns the flags, each once.
func borrowerFlags(r *row) []string {
	var out []string
	for _, f := range r.list("flags") {
		if !token(f) {
			r.bad("flags", "%q is not a flag such as lost_contact or vulnerable (lower-case letters, digits and _)", f)
		} else if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// borrowerAddress returns the address the row gives, if any of its columns
// is filled. Coordinates are optional but come in pairs.
func borrowerAddress(r *row) (borrower.Address, bool) {
	cols := []string{"address_kind", "address_line", "city", "region", "lat", "lon"}
	if !slices.ContainsFunc(cols, func(c string) bool { return r.str(c) != "" }) {
		return borrower.Address{}, false
	}
	a := borrower.Address{Kind: r.lower("address_kind"), Line: r.str("address_line"), City: r.str("city"), Region: r.str("region")}
	switch a.Kind {
	case "":
		a.Kind = "home"
	case "home", "work", "registered":
	default:
		r.bad("address_kind", "must be one of home, work, registered")
	}
	var hasLat, hasLon bool
	a.Lat, hasLat = r.coordinate("lat", 90)
	a.Lon, hasLon = r.coordinate("lon", 180)
	switch {
	case hasLat && !hasLon && r.str("lon") == "":
		r.bad("lon", "is required when lat is given")
	case hasLon && !hasLat && r.str("lat") == "":
		r.bad("lat", "is required when lon is given")
	}
	return a, true
}
