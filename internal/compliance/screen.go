package compliance

import (
	"strings"

	"accord/internal/auth"
)

// checkContent screens the proposed text (R08, R09, R10 for CN; R37 for
// US; R44, R49 for UK). A live-call transcript only warns: the words were
// already said, and QA reviews them. A reference to courts or legal
// documents is allowed only for genuine proceedings: with a case number
// attached and compliance approval (R09); without one it is blocked as
// impersonation.
func (g *Governor) checkContent(f *facts) {
	if f.p.Text == "" {
		return
	}
	s := g.text(f)
	sev := Block
	if f.p.TextSource == "transcript" {
		sev = Warn
	}
	switch f.j {
	case CN:
		f.contentRule(RuleCNAbuse, sev, s.Abuse, nil, Text{
			ZH: "内容含威胁、辱骂或暴力用语", EN: "The text contains threats, insults or violence"})
		f.contentRule(RuleCNImpersonation, sev, s.Impersonation, s.Legal, Text{
			ZH: "内容冒用或暗示公安、司法、政府机关", EN: "The text claims to be or to act with police, courts or government"})
		f.contentRule(RuleCNPressure, sev, s.Pressure, nil, Text{
			ZH: "内容含额外催收费用或诱导借新还旧", EN: "The text charges extra collection fees or urges new borrowing to repay"})
	case US:
		f.contentRule(RuleUSAbuse, sev, s.Abuse, nil, Text{
			ZH: "内容含威胁、淫秽或侮辱性用语", EN: "The text contains threats, obscene or abusive language"})
	case UK:
		var bad []string
		bad = append(append(append(bad, s.Abuse...), s.Impersonation...), s.Pressure...)
		f.contentRule(RuleUKContent, sev, bad, s.Legal, Text{
			ZH: "内容含威胁、施压或误导性陈述", EN: "The text threatens, pressures or misrepresents"})
	}
}

// contentRule fires rule for terms that block, or for legal terms that need
// a case number and approval.
func (f *facts) contentRule(rule string, sev Action, terms, legal []string, why Text) {
	switch {
	case len(terms) > 0:
		d := f.fire(rule, sev, withTerms(why, terms))
		d.Matched = terms
		if len(legal) > 0 {
			d.Matched = append(append([]string(nil), terms...), legal...)
		}
	case len(legal) > 0 && f.p.LegalCase == "":
		d := f.fire(rule, sev, Text{
			ZH: "内容提及法院或法律文书，但未附真实案件编号：" + strings.Join(legal, "、"),
			EN: "The text refers to courts or legal documents without a genuine case number: " + strings.Join(legal, ", ") + ".",
		})
		d.Matched, d.Failed = legal, []string{"legal_case_missing"}
	case len(legal) > 0 && sev == Block:
		before := len(f.details)
		f.needApproval(rule, auth.Compliance, Text{
			ZH: "内容提及案件 " + f.p.LegalCase + " 的法律程序，须经合规审批：" + strings.Join(legal, "、"),
			EN: "The text refers to legal proceedings in case " + f.p.LegalCase + " and needs compliance approval: " + strings.Join(legal, ", ") + ".",
		})
		if len(f.details) > before {
			f.details[before].Matched = legal
		}
	}
}

func withTerms(t Text, terms []string) Text {
	return Text{ZH: t.ZH + "：" + strings.Join(terms, "、"), EN: t.EN + ": " + strings.Join(terms, ", ") + "."}
}

// checkVulnerable keeps a vulnerable borrower (serious illness,
// bereavement, mental health, disability, old age, job loss) out of
// automated campaigns and routes human contact to the specialist queue, in
// every profile (R48). Under UK rules a visit or placement also needs
// compliance approval.
func (f *facts) checkVulnerable(rule string) {
	if !f.flags.has(fVulnerable) {
		return
	}
	switch {
	case f.automated:
		d := f.fire(rule, Block, Text{
			ZH: "弱势借款人不纳入自动化催收，转专门队列人工处理。",
			EN: "A vulnerable borrower is kept out of automated contact; the case goes to the specialist queue.",
		})
		d.Route, d.Failed = RouteSpecialist, []string{"automated"}
	case f.j == UK && (f.p.Channel == Visit || f.p.Channel == Placement):
		before := len(f.details)
		f.needApproval(rule, auth.Compliance, Text{
			ZH: "弱势客户的外访或委外须经合规审批。",
			EN: "A visit or placement for a vulnerable customer needs compliance approval.",
		})
		if len(f.details) > before {
			f.details[before].Route = RouteSpecialist
		}
	default:
		d := f.fire(rule, Warn, Text{
			ZH: "弱势借款人：由专门队列的专员联系，并记录所作调整。",
			EN: "Vulnerable borrower: contact through the specialist queue and record the adjustments made.",
		})
		d.Route = RouteSpecialist
	}
}
