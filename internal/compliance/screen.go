package compliance

import (
	"strings"

	"accord/internal/auth"
)

// checkContent screens the proposed text (R08, R09, R10 for CN; R37 for
// US; R44, R49 for UK). A live-call transcript only warns: the words were
// already said, and QA reviews them. A reference to civil proceedings is
// allowed only for genuine proceedings: with a case number attached and
// compliance approval (R09); without one it is blocked. A claim to be the
// police, a court or a lawyer, and a false criminal consequence, always
// block.
//
// Categories map to rules: CN-CONTENT-ABUSE threat_violence,
// implied_threat, abuse; CN-CONTENT-IMPERSONATION impersonation,
// false_legal (and legal); CN-CONTENT-PRESSURE borrow_to_repay, pressure;
// US-CONTENT-ABUSE threat_violence, implied_threat, abuse, false_legal,
// impersonation (FDCPA 1692d, 1692e(4), (1)); UK-CONTENT all of them.
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
		f.contentRule(RuleCNAbuse, sev, s, []Category{CatThreat, CatImpliedThreat, CatAbuse}, false)
		f.contentRule(RuleCNImpersonation, sev, s, []Category{CatImpersonation, CatFalseLegal}, true)
		f.contentRule(RuleCNPressure, sev, s, []Category{CatBorrowToRepay, CatPressure}, false)
	case US:
		f.contentRule(RuleUSAbuse, sev, s, []Category{CatThreat, CatImpliedThreat, CatAbuse, CatFalseLegal, CatImpersonation}, false)
	case UK:
		f.contentRule(RuleUKContent, sev, s, []Category{CatThreat, CatImpliedThreat, CatAbuse, CatFalseLegal, CatImpersonation,
			CatBorrowToRepay, CatPressure}, true)
	}
}

// categoryReason says what a category of findings is, for the decision.
var categoryReason = map[Category]Text{
	CatThreat:        {ZH: "内容含暴力威胁或恐吓", EN: "The text threatens violence or intimidates"},
	CatImpliedThreat: {ZH: "内容暗示上门、告知家人、单位或通讯录联系人，或公开曝光", EN: "The text implies going to the home or workplace, telling family, employer or contacts, or public exposure"},
	CatAbuse:         {ZH: "内容含辱骂或侮辱性用语", EN: "The text insults or uses abusive language"},
	CatFalseLegal:    {ZH: "内容以逮捕、拘留、刑事责任、黑名单等虚假法律后果相威胁", EN: "The text threatens false legal or criminal consequences (arrest, jail, criminal record, police, blacklists)"},
	CatImpersonation: {ZH: "内容冒充或暗示公安、法院、律师或政府机关", EN: "The text claims to be or to act for police, a court, a lawyer or government"},
	CatBorrowToRepay: {ZH: "内容诱导借新还旧、以贷养贷或向他人借钱还款", EN: "The text urges borrowing elsewhere to repay"},
	CatPressure:      {ZH: "内容含额外收费或要求变卖财产", EN: "The text charges extra fees or presses the borrower to sell assets"},
}

// contentRule fires rule for findings of cats, or, when legal is set, for
// references to civil proceedings that need a case number and approval.
func (f *facts) contentRule(rule string, sev Action, s *Screening, cats []Category, legal bool) {
	var (
		matched  []string
		zh, en   []string
		legalHit []string
	)
	for _, c := range cats {
		ph := s.Phrases(c)
		if len(ph) == 0 {
			continue
		}
		matched = append(matched, ph...)
		why := categoryReason[c]
		zh = append(zh, why.ZH+"："+strings.Join(ph, "、"))
		en = append(en, why.EN+": "+strings.Join(ph, ", ")+".")
	}
	if legal {
		legalHit = s.Legal
	}
	switch {
	case len(matched) > 0:
		d := f.fire(rule, sev, Text{ZH: strings.Join(zh, "；"), EN: strings.Join(en, " ")})
		d.Matched = append(matched, legalHit...)
	case len(legalHit) > 0 && f.p.LegalCase == "":
		d := f.fire(rule, sev, Text{
			ZH: "内容提及法院或法律程序，但未附真实案件编号：" + strings.Join(legalHit, "、"),
			EN: "The text refers to courts or legal proceedings without a genuine case number: " + strings.Join(legalHit, ", ") + ".",
		})
		d.Matched, d.Failed = legalHit, []string{"legal_case_missing"}
	case len(legalHit) > 0 && sev == Block:
		before := len(f.details)
		f.needApproval(rule, auth.Compliance, Text{
			ZH: "内容提及案件 " + f.p.LegalCase + " 的法律程序，须经合规审批：" + strings.Join(legalHit, "、"),
			EN: "The text refers to legal proceedings in case " + f.p.LegalCase + " and needs compliance approval: " + strings.Join(legalHit, ", ") + ".",
		})
		if len(f.details) > before {
			f.details[before].Matched = legalHit
		}
	}
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
