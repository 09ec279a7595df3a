package importer

import "accord/internal/borrower"

var contactColumns = []column{
	{name: "external_id", required: true},
	{name: "borrower_external_id", required: true},
	{name: "name", required: true},
	{name: "relationship", required: true},
	{name: "phone", required: true},
	{name: "consent_basis", required: true},
	{name: "consent_at", required: true},
}

func convertContact(r *row, b *Batch) {
	ct := borrower.Contact{
		ExternalID:   r.id("external_id"),
		Name:         r.str("name"),
		Relationship: r.lower("relationship"),
		ConsentBasis: r.str("consent_basis"),
		ConsentAt:    r.instant("consent_at"),
	}
	if s := r.str("phone"); s != "" {
		ct.Phone = r.phone("phone", s)
	}
	owner := r.id("borrower_external_id")
	r.merge(ct.Validate(), nil)
	if r.ok() {
		b.Contacts = append(b.Contacts, ContactRow{Row: r.line, BorrowerExternalID: owner, Contact: ct})
	}
}
