package compliance

// The borrower's own requests — stop contacting me (停止催收联系), I dispute
// this debt (异议) — made in the portal, to the chatbot or to a collector,
// reach the governor as borrower flags (FlagCease, FlagDisputed). The US
// profile has law for both (R23 US-CEASE, R40 US-DISPUTE) and the UK
// profile for disputes (R46 UK-DISPUTE). Where the law is silent the
// profile applies the lender's policy below (docs/GOVERNOR.md, "The
// borrower's requests", gives the reasoning).

// Rule ids of the borrower's requests where the law of the profile is
// silent (lender policy, on in every tenant).
const (
	RuleCNStopContact = "CN-STOP-CONTACT"
	RuleCNDispute     = "CN-DISPUTE"
	RuleUKStopContact = "UK-STOP-CONTACT"
)

// essentialPurpose reports whether a contact of purpose p still goes to a
// borrower who asked not to be contacted, or who disputes the debt: the
// allow-list. A one-time code the borrower asked for (verification), the
// confirmation of their request (cease_confirmation, optout_confirmation),
// the answer to their dispute (dispute_response) and a notice the lender
// must or may lawfully give (remedy_notice: a statutory notice, a notice
// of legal action, default or assignment) are replies or obligations, not
// collection.
func essentialPurpose(p string) bool {
	switch p {
	case PurposeVerification, PurposeCeaseConfirmation, PurposeOptOutConfirmation, PurposeDisputeResponse, PurposeRemedyNotice:
		return true
	}
	return false
}

// represents reports whether the proposal goes to someone who acts for the
// borrower (their lawyer or an authorised representative), whom a request
// to stop contacting the borrower does not reach.
func (f *facts) represents() bool {
	return f.p.Party == ToAttorney || f.p.Party == ToRepresentative
}

// checkStopContact blocks non-essential contact with a borrower flagged
// cease, by any channel, to them or to their registered contacts (a
// borrower's 不要联系我家人 is a stop request too): calls, SMS, email, IM,
// the bot's pushes, letters that collect, visits. Only the essential
// purposes go out, and contact with the borrower's lawyer or
// representative. The chatbot's reply to a message the borrower has just
// written is a reply they asked for (package chat lifts this rule for a
// live reply only).
//
// CN-STOP-CONTACT: Civil Code art. 1033(1) forbids disturbing a person's
// private peace by phone, SMS, instant messaging or email without their
// express consent; the CBA 2026 guideline lists harassment (骚扰) among
// the prohibited behaviours (R08). Contact after an express refusal is the
// clearest case of both, so Accord honours the request [U: no source makes
// it a numbered rule; lender policy]. UK-STOP-CONTACT: CONC 7.3.4R
// (forbearance and due consideration) and 7.3.10R (no pressure), and the
// Administration of Justice Act 1970 s.40 (harassment of debtors)
// [U: lender policy]. In the US, US-CEASE (R23) applies instead.
func (f *facts) checkStopContact(rule string) {
	if !f.flags.has(fCease) || f.p.Channel == Placement || f.represents() || essentialPurpose(f.p.Purpose) {
		return
	}
	f.fire(rule, Block, Text{
		ZH: "借款人已要求停止催收联系：仅可发送其本人请求的验证码、请求确认、异议答复或法定通知。",
		EN: "The borrower asked us to stop contacting them: only a code they asked for, the confirmation of a request, a dispute response or a statutory notice may go.",
	})
}

// checkCNDispute applies CN-DISPUTE: a recorded dispute (oral or written:
// 不是我借的, 金额不对, identity theft) suspends collection until the
// outcome is recorded (FlagDisputeResolved); only the essential purposes go
// out, and a disputed case is not placed with an agency. China has no
// dispute-suspension rule in the sources of COMPLIANCE.md; the CBA 2026
// guideline requires complaints and objections to be verified and
// answered, and collecting from someone who may not owe the debt risks
// R04 (debtor only) and R07. Accord follows the UK rule (R46, CONC 7.14:
// the form of the dispute does not matter) as the lender's policy
// [U: lender policy].
func (f *facts) checkCNDispute() {
	if !f.flags.has(fDisputed) || f.flags.has(fDisputeResolved) || f.represents() || essentialPurpose(f.p.Purpose) {
		return
	}
	f.fire(RuleCNDispute, Block, Text{
		ZH: "借款人对债务提出异议，核实结果记录前暂停催收（含委外）；仅可发送异议答复等必要通知。",
		EN: "The borrower disputes the debt; collection, placement included, is suspended until the outcome is recorded; only a dispute response or other essential notice may go.",
	})
}
