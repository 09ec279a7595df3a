package compliance

// RuleInfo describes a rule for the "policy in force" page: its id, title,
// source (the rule ids of COMPLIANCE.md and the texts behind them) and the
// most severe action it can take.
type RuleInfo struct {
	ID       string `json:"id"`
	Title    Text   `json:"title"`
	Source   string `json:"source"`
	Severity Action `json:"severity"`
}

// The rule ids.
const (
	RuleFailClosed           = "FAIL-CLOSED"
	RuleVulnerableAutomation = "VULNERABLE-AUTOMATION"

	RuleCNTimeQuiet         = "CN-TIME-QUIET"
	RuleCNFreqConnected     = "CN-FREQ-CONNECTED"
	RuleCNFreqUnanswered    = "CN-FREQ-UNANSWERED"
	RuleCNHoliday           = "CN-HOLIDAY"
	RuleCNThirdParty        = "CN-THIRDPARTY"
	RuleCNDisclosure        = "CN-DISCLOSURE"
	RuleCNAbuse             = "CN-CONTENT-ABUSE"
	RuleCNImpersonation     = "CN-CONTENT-IMPERSONATION"
	RuleCNPressure          = "CN-CONTENT-PRESSURE"
	RuleCNVisit             = "CN-VISIT"
	RuleCNOutsourcing       = "CN-OUTSOURCING"
	RuleUSTime              = "US-TIME"
	RuleUS7in7              = "US-7IN7"
	RuleUSAfterConversation = "US-AFTER-CONVERSATION"
	RuleUSCease             = "US-CEASE"
	RuleUSAttorney          = "US-ATTORNEY"
	RuleUSThirdParty        = "US-THIRDPARTY"
	RuleUSOptOut            = "US-OPTOUT"
	RuleUSDispute           = "US-DISPUTE"
	RuleUSAbuse             = "US-CONTENT-ABUSE"
	RuleUKTime              = "UK-TIME"
	RuleUKDispute           = "UK-DISPUTE"
	RuleUKCapacity          = "UK-CAPACITY"
	RuleUKVulnerable        = "UK-VULNERABLE"
	RuleUKVisitNotice       = "UK-VISIT-NOTICE"
	RuleUKContent           = "UK-CONTENT"
)

var catalogue = map[Jurisdiction][]RuleInfo{
	CN: {
		{RuleFailClosed, Text{"信息不全时拒绝（时区、身份、同意）", "Fail closed on a missing time zone, identity or consent"}, "X4", Block},
		{RuleCNTimeQuiet, Text{"22:00至次日08:00不得催收（借款人当地时间）", "No collection 22:00–08:00 borrower local time"}, "R01, R17 · CBA 2026 ch. 3; NIFA 2024; GB/T 45251-2025", Block},
		{RuleCNFreqConnected, Text{"每日接通电话合计不超过3次（含委外机构）", "At most 3 connected calls a day, lender and agencies together"}, "R02 · NIFA 2024; GB/T 45251-2025", Block},
		{RuleCNFreqUnanswered, Text{"同一号码每日未接通拨打不超过6次", "At most 6 unanswered attempts per number a day"}, "R03, R17 · CBA 2026", Block},
		{RuleCNHoliday, Text{"法定节假日不进行人工催收和外访（租户政策）", "No human contact or visit on statutory holidays (tenant policy)"}, "R16 · State Council holiday notices; Accord default", Block},
		{RuleCNThirdParty, Text{"仅在失联时联系登记联系人，且只问下落或转告", "Third parties only on lost contact, registered contacts only, locate or pass a message"}, "R04, R05, R06 · CBA 2026; NIFA 2018; NFRA 2024", Block},
		{RuleCNDisclosure, Text{"不得向无关人员、单位或公开渠道披露债务", "No debt facts to third parties, employers, groups or the public"}, "R07 · CBA 2026; Civil Code 1032–1033; PIPL 6", Block},
		{RuleCNAbuse, Text{"禁止威胁、辱骂、暴力内容", "No threats, insults or violence"}, "R08 · CBA 2026; NFRA; NIFA 2018; Criminal Law 293-1", Block},
		{RuleCNImpersonation, Text{"禁止冒用公检法或政府名义", "No claims to be or act with police, courts or government"}, "R09 · CBA 2026", Block},
		{RuleCNPressure, Text{"禁止收取额外费用、诱导以贷养贷", "No extra collection fees, no urging new borrowing to repay"}, "R10 · CBA 2026; NIFA 2024", Block},
		{RuleCNVisit, Text{"外访须两人以上、全程录音录像、提前通知并经审批", "Visits: two collectors, recording, notice and approval"}, "R12 · CBA 2026 art. 22; NIFA 2018; Accord default notice", Block},
		{RuleCNOutsourcing, Text{"委外须白名单机构、已告知借款人、催收员一年内受训", "Outsourcing: whitelisted agency, borrower told, agent trained within 12 months"}, "R14 · GB/T 45251-2025; NFRA; CBA 2026", Block},
		{RuleCNStopContact, Text{"借款人要求停止联系后，仅发送其请求的验证码、请求确认、异议答复或法定通知（贷款机构政策）", "After a stop request only codes asked for, request confirmations, dispute responses or statutory notices (lender policy)"}, "Civil Code 1033; CBA 2026 (harassment); Accord policy, docs/GOVERNOR.md", Block},
		{RuleCNDispute, Text{"借款人提出异议（口头或书面）后暂停催收和委外，直至核实结果记录（贷款机构政策）", "A dispute, oral or written, suspends collection and placement until the outcome is recorded (lender policy)"}, "CBA 2026 (verify objections); R46 by analogy; Accord policy, docs/GOVERNOR.md", Block},
		{RuleVulnerableAutomation, Text{"弱势借款人转专门队列，不纳入自动化催收", "Vulnerable borrowers: specialist queue, no automated campaigns"}, "R48 (applied in every profile)", Block},
	},
	US: {
		{RuleFailClosed, Text{"信息不全时拒绝（时区、身份、同意）", "Fail closed on a missing time zone, identity or consent"}, "X4", Block},
		{RuleUSTime, Text{"仅在当地08:00–21:00联系（每个可能的地点）", "Only 8:00–21:00 at every possible location"}, "R18, R19 · 12 CFR 1006.6(b)(1); FDCPA 1692c(a)(1)", Block},
		{RuleUS7in7, Text{"每人每笔债务任意连续7日内电话不超过7次", "At most 7 calls per person per debt in any 7 consecutive days"}, "R26, R28 · 12 CFR 1006.14(b)(2)(i)(A), (b)(3)", Block},
		{RuleUSAfterConversation, Text{"通话后7日内不得就该债务再次致电", "No call about a debt within 7 days of a conversation about it"}, "R27 · 12 CFR 1006.14(b)(2)(i)(B)", Block},
		{RuleUSCease, Text{"书面要求停止联系后停止", "Stop after a written cease request"}, "R23 · 12 CFR 1006.6(c); FDCPA 1692c(c)", Block},
		{RuleUSAttorney, Text{"有律师代理时只联系律师", "Contact only the attorney of a represented consumer"}, "R21 · 12 CFR 1006.6(b)(2); FDCPA 1692c(a)(2)", Block},
		{RuleUSThirdParty, Text{"不得与第三方沟通债务（配偶视同本人）", "No debt communication with third parties (a spouse counts as the consumer)"}, "R24, R25, R34 · 12 CFR 1006.6(d), 1006.10, 1006.22(f)(4)", Block},
		{RuleUSOptOut, Text{"尊重按渠道和地址的退订，电子消息须含退订方式", "Honour opt-outs per channel and address; electronic messages carry an opt-out"}, "R31, R32 · 12 CFR 1006.6(e), 1006.14(h)", Block},
		{RuleUSDispute, Text{"验证期内书面异议在发送核实前暂停催收", "A written dispute in the validation period suspends collection until verification"}, "R40 · 12 CFR 1006.38(d)(2)", Block},
		{RuleUSAbuse, Text{"禁止威胁、辱骂内容", "No threats, obscene or abusive language"}, "R37 · FDCPA 1692d", Block},
		{RuleVulnerableAutomation, Text{"弱势借款人转专门队列，不纳入自动化催收", "Vulnerable borrowers: specialist queue, no automated campaigns"}, "R48 (applied in every profile)", Block},
	},
	UK: {
		{RuleFailClosed, Text{"信息不全时拒绝（时区、身份、同意）", "Fail closed on a missing time zone, identity or consent"}, "X4", Block},
		{RuleUKTime, Text{"不在不合理时间联系（默认08:00–21:00）", "No contact at unreasonable times (default 8:00–21:00)"}, "R43 · CONC 7.9; window is an Accord default [U]", Block},
		{RuleUKDispute, Text{"任何异议（包括口头）暂停追收", "Any dispute, oral too, suspends recovery"}, "R46 · CONC 7.14", Block},
		{RuleUKStopContact, Text{"客户要求停止联系后，仅发送必要通知（贷款机构政策）", "After a stop request only essential notices (lender policy)"}, "CONC 7.3.4R, 7.3.10R; AJA 1970 s.40; Accord policy, docs/GOVERNOR.md", Block},
		{RuleUKCapacity, Text{"可能缺乏行为能力时暂停追收", "Possible lack of mental capacity suspends recovery"}, "R47 · CONC 7.10", Block},
		{RuleUKVulnerable, Text{"弱势客户转专门队列，暂停自动化", "Vulnerable customers: specialist queue, automation paused"}, "R48 · CONC 7.2.1R; FG21/1", Block},
		{RuleUKVisitNotice, Text{"首次上门前须书面通知并说明目的", "Written notice and a stated purpose before an initial visit"}, "R43 · CONC 7.9.12R, 7.9.13G", Block},
		{RuleUKContent, Text{"禁止施压、误导、威胁内容", "No pressure, misrepresentation or threats"}, "R44, R49 · CONC 7.3.10R, 7.11", Block},
	},
}

// Rules returns the rules of profile j in the order the policy page shows
// them, or nil for an unknown profile. The empty profile is CN.
func Rules(j Jurisdiction) []RuleInfo {
	return append([]RuleInfo(nil), catalogue[j.orDefault()]...)
}

func (j Jurisdiction) orDefault() Jurisdiction {
	if j == "" {
		return CN
	}
	return j
}

// sources maps each rule id to its source, for the details of a decision.
var sources = func() map[string]string {
	m := make(map[string]string)
	for _, rs := range catalogue {
		for _, r := range rs {
			m[r.ID] = r.Source
		}
	}
	return m
}()
