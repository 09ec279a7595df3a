package demo

import (
	"fmt"
	"time"

	"accord/internal/borrower"
)

// relationships of registered contacts, with how often each is given.
var relationships = []struct {
	Name   string
	Weight int
}{{"parent", 30}, {"spouse", 25}, {"sibling", 20}, {"friend", 15}, {"colleague", 10}}

var relationshipIndex = newWeighted(len(relationships), func(i int) int { return relationships[i].Weight })

// contacts returns the 1–3 third parties p registered when applying at
// applied, each once per relationship except friends and colleagues.
// Consent is the loan application itself.
func (r rng) contacts(p person, applied time.Time) []borrower.Contact {
	n := 1 + r.IntN(3)
	out := make([]borrower.Contact, 0, n)
	var seen uint
	for len(out) < n {
		k := relationshipIndex.pick(r)
		rel := relationships[k].Name
		if seen&(1<<k) != 0 && (rel == "parent" || rel == "spouse") {
			continue
		}
		seen |= 1 << k
		id := p.ID*10 + int64(len(out)+1)
		out = append(out, borrower.Contact{
			ID:           id,
			ExternalID:   fmt.Sprintf("C%010d", id),
			BorrowerID:   p.ID,
			Name:         r.contactName(p, rel),
			Relationship: rel,
			Phone:        r.mobile(),
			ConsentBasis: "loan_application",
			ConsentAt:    applied,
			CreatedAt:    applied,
		})
	}
	return out
}

// contactName returns a name for p's contact: a parent (usually the father)
// and a sibling share p's surname, anyone else draws their own.
func (r rng) contactName(p person, rel string) string {
	switch rel {
	case "parent":
		male := r.chance(0.7)
		if male {
			return p.surname + r.givenName(true, true)
		}
		return r.surname() + r.givenName(false, true)
	case "sibling":
		return p.surname + r.givenName(r.chance(0.5), false)
	case "spouse":
		return r.surname() + r.givenName(!p.male, false)
	}
	return r.surname() + r.givenName(r.chance(0.5), false)
}
