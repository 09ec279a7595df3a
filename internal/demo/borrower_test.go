package demo

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"accord/internal/date"
)

func TestCheckDigit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true}, // the example in GB 11643-1999
		{"440524188001010014", true}, // the standard's other example
		{"110105194912310021", false},
		{"11010519491231002", false},
		{"1101051949123100AX", false},
	}
	for _, tt := range tests {
		if got := validNationalID(tt.id); got != tt.want {
			t.Errorf("validNationalID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestNationalID(t *testing.T) {
	t.Parallel()
	r := newRNG(1, 0)
	tests := []struct {
		name  string
		birth date.Date
		male  bool
	}{
		{"Man", date.MustParse("1990-07-04"), true},
		{"Woman", date.MustParse("2001-01-18"), false},
		{"ZeroDateDay", date.Of(1969, 12, 31), true}, // the zero Date; String() is ""
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := r.nationalID("440300", tt.birth, tt.male)
			y, m, d := tt.birth.Parts()
			wantBirth := fmt.Sprintf("%04d%02d%02d", y, int(m), d)
			if !validNationalID(id) || id[:6] != "440300" || id[6:14] != wantBirth || (id[16]-'0')%2 == 1 != tt.male {
				t.Errorf("nationalID() = %s, want 440300%s…, odd sex digit %v", id, wantBirth, tt.male)
			}
		})
	}
}

var mobileRE = regexp.MustCompile(`^\+861(3\d|5[0-35-9]|66|7[35-8]|8\d|9[89])\d{8}$`)

func TestGenerate_Borrowers(t *testing.T) {
	t.Parallel()
	codeOf := map[string]string{}
	for _, c := range cities {
		codeOf[c.Name+"市"] = c.Code
	}
	var en int
	bundles := generate(t, Config{Borrowers: 5000, Seed: 11, AsOf: asOf})
	for _, b := range bundles {
		br := b.Borrower
		id := br.NationalID
		if !validNationalID(id) {
			t.Fatalf("%s: national id %s is not valid", br.ExternalID, id)
		}
		home := br.Addresses[0]
		if home.Kind != "home" || id[:6] != codeOf[home.City] {
			t.Errorf("%s: id %s does not match home city %s (%s)", br.ExternalID, id, home.City, codeOf[home.City])
		}
		birth := date.MustParse(id[6:10] + "-" + id[10:12] + "-" + id[12:14])
		applied := date.FromTime(br.CreatedAt.In(beijing))
		if age := applied.Sub(birth) / 365; age < 18 || age > 65 {
			t.Errorf("%s: born %s, applied %s: age %d", br.ExternalID, birth, applied, age)
		}
		if n := len([]rune(br.Name)); n < 2 || n > 4 {
			t.Errorf("%s: name %q", br.ExternalID, br.Name)
		}
		if len(br.Phones) < 1 || len(br.Phones) > 2 {
			t.Errorf("%s: %d phones", br.ExternalID, len(br.Phones))
		}
		for _, p := range br.Phones {
			if !mobileRE.MatchString(p.Number) {
				t.Errorf("%s: phone %s", br.ExternalID, p.Number)
			}
		}
		if br.TimeZone == "Asia/Urumqi" && !strings.HasPrefix(home.Region, "新疆") {
			t.Errorf("%s: time zone %s outside Xinjiang", br.ExternalID, br.TimeZone)
		}
		if br.MonthlyIncome < 2_500_00 || br.Employer == "" {
			t.Errorf("%s: income %s, employer %q", br.ExternalID, br.MonthlyIncome, br.Employer)
		}
		if br.Language == "en" {
			en++
		}
		checkContacts(t, b)
	}
	if share := float64(en) / float64(len(bundles)); share < 0.01 || share > 0.03 {
		t.Errorf("%.1f%% of borrowers speak English, want about 2%%", 100*share)
	}
}

func checkContacts(t *testing.T, b Bundle) {
	t.Helper()
	if len(b.Contacts) < 1 || len(b.Contacts) > 3 {
		t.Errorf("%s: %d contacts", b.Borrower.ExternalID, len(b.Contacts))
	}
	for _, c := range b.Contacts {
		if c.ConsentBasis != "loan_application" || !c.ConsentAt.Equal(b.Borrower.CreatedAt) ||
			c.ConsentAt.After(b.Loans[0].Loan.CreatedAt) || !mobileRE.MatchString(c.Phone) {
			t.Errorf("%s: contact %+v", b.Borrower.ExternalID, c)
		}
		if c.ConsentAt.Location() != time.UTC {
			t.Errorf("%s: consent time %s is not UTC", b.Borrower.ExternalID, c.ConsentAt)
		}
	}
}
