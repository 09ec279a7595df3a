package strategy

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/govalues/decimal"
)

// Kind is a kind of treatment.
type Kind string

// The treatment kinds.
const (
	SMS              Kind = "sms"               // 短信提醒 from a template
	Email            Kind = "email"             // email reminder from a template
	Call             Kind = "call"              // 电催: a call task in a queue
	NegotiationOffer Kind = "negotiation_offer" // 二次协商: propose an offer to the borrower
	FieldVisit       Kind = "field_visit"       // 外访: recommend a visit (a supervisor approves it)
	AgencyPlacement  Kind = "agency_placement"  // 委外: place the case with an outside agency
	LegalReferral    Kind = "legal_referral"    // 司法: refer the case to the legal team
)

// Kinds lists the treatment kinds.
var Kinds = []Kind{SMS, Email, Call, NegotiationOffer, FieldVisit, AgencyPlacement, LegalReferral}

// Offers are the negotiation offer kinds a rule may propose.
var Offers = []string{
	"installment_extension", // 展期: more time per installment or a longer term
	"restructure",           // 个性化分期: arrears spread over a new schedule
	"interest_freeze",       // 停息挂账: interest stops, balance repaid over time
	"penalty_waiver",        // 减免罚息: waive penalty interest on condition of payment
	"fee_waiver",            // 减免滞纳金: waive late fees on condition of payment
}

// Treatment is one thing a rule asks for. Which fields apply depends on Kind:
//
//	sms, email          template (id of a template of that channel)
//	call                queue, priority (1 first … 9 last)
//	negotiation_offer   offer (one of Offers)
//	field_visit         reason (the recommendation, shown to the approver)
//	agency_placement    agency (criteria for choosing the agency)
//	legal_referral      reason (the grounds, shown to the legal team)
//
// A field that does not apply to the kind is refused, so that a mistyped
// definition cannot silently lose a parameter.
type Treatment struct {
	Kind     Kind            `json:"kind"`
	Template string          `json:"template,omitempty"`
	Queue    string          `json:"queue,omitempty"`
	Priority int             `json:"priority,omitempty"`
	Offer    string          `json:"offer,omitempty"`
	Reason   string          `json:"reason,omitempty"`
	Agency   *AgencyCriteria `json:"agency,omitempty"`
}

// AgencyCriteria says which agencies may take a placement and for how long.
type AgencyCriteria struct {
	MaxCommission decimal.Decimal `json:"max_commission"` // highest commission rate accepted, 0.30 for 30%
	Days          int             `json:"days"`           // placement length; the case is recalled after it
	SameRegion    bool            `json:"same_region,omitempty"`
}

// validate returns what is wrong with t, each as (field, message); templates
// maps template ids to their channel.
func (t Treatment) validate(templates map[string]Kind) [][2]string {
	var out [][2]string
	bad := func(field, format string, args ...any) {
		out = append(out, [2]string{field, fmt.Sprintf(format, args...)})
	}
	uses := map[string]bool{}
	switch t.Kind {
	case SMS, Email:
		uses["template"] = true
		ch, ok := templates[t.Template]
		switch {
		case t.Template == "":
			bad("template", "a %s treatment needs a template id", t.Kind)
		case !ok:
			bad("template", "no template has id %q", t.Template)
		case ch != t.Kind:
			bad("template", "template %q is for %s, not %s", t.Template, ch, t.Kind)
		}
	case Call:
		uses["queue"], uses["priority"] = true, true
		if !validName(t.Queue) {
			bad("queue", "%q must be 1–64 lower-case letters, digits or underscores", t.Queue)
		}
		if t.Priority < 1 || t.Priority > 9 {
			bad("priority", "%d must be from 1 (first) to 9 (last)", t.Priority)
		}
	case NegotiationOffer:
		uses["offer"] = true
		if !slices.Contains(Offers, t.Offer) {
			bad("offer", "%q must be one of %v", t.Offer, Offers)
		}
	case FieldVisit, LegalReferral:
		uses["reason"] = true
		if t.Reason == "" {
			bad("reason", "a %s treatment needs a reason", t.Kind)
		}
	case AgencyPlacement:
		uses["agency"] = true
		out = append(out, t.Agency.validate()...)
	default:
		bad("kind", "%q must be one of %v", t.Kind, Kinds)
		return out
	}
	for field, set := range map[string]bool{"template": t.Template != "", "queue": t.Queue != "", "priority": t.Priority != 0,
		"offer": t.Offer != "", "reason": t.Reason != "", "agency": t.Agency != nil} {
		if set && !uses[field] {
			bad(field, "is not used by a %s treatment", t.Kind)
		}
	}
	slices.SortStableFunc(out, func(a, b [2]string) int { return cmp.Compare(a[0], b[0]) })
	return out
}

func (a *AgencyCriteria) validate() [][2]string {
	if a == nil {
		return [][2]string{{"agency", "an agency_placement treatment needs agency criteria"}}
	}
	var out [][2]string
	if !a.MaxCommission.IsPos() || a.MaxCommission.Cmp(decimal.One) > 0 {
		out = append(out, [2]string{"agency.max_commission", fmt.Sprintf("%s must be above 0 and at most 1", a.MaxCommission)})
	}
	if a.Days < 1 || a.Days > 365 {
		out = append(out, [2]string{"agency.days", fmt.Sprintf("%d must be from 1 to 365", a.Days)})
	}
	return out
}
