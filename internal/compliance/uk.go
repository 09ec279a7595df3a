package compliance

import (
	"fmt"
	"strings"
	"time"

	"accord/internal/auth"
)

// checkUK applies the United Kingdom profile (FCA CONC 7). CONC has no
// numeric caps: its rules suspend recovery, route to specialists and ask
// for approval.
func (g *Governor) checkUK(f *facts) {
	p := f.p
	f.contact = f.recipientContact()
	if p.Channel != Placement {
		f.checkTime(RuleUKTime)
	}
	f.checkUKDispute()
	f.checkStopContact(RuleUKStopContact) // requests.go
	f.checkUKCapacity()
	f.checkVulnerable(RuleUKVulnerable)
	if p.Channel == Visit {
		f.checkUKVisit()
	}
	g.checkContent(f)
}

// checkUKDispute applies R46: any recorded dispute, oral or written,
// suspends recovery until the outcome of the investigation is recorded and
// sent. Only the response to the dispute may go out.
func (f *facts) checkUKDispute() {
	if !f.flags.has(fDisputed) || f.flags.has(fDisputeResolved) ||
		f.p.Purpose == PurposeVerification || f.p.Purpose == PurposeDisputeResponse {
		return
	}
	f.fire(RuleUKDispute, Block, Text{
		ZH: "客户提出异议（口头或书面），在调查结果告知前暂停追收。",
		EN: "The customer disputes the debt (orally or in writing); recovery is suspended until the outcome is sent.",
	})
}

// checkUKCapacity applies R47: when the customer may lack mental capacity,
// recovery is suspended; only an authorised representative may be dealt
// with.
func (f *facts) checkUKCapacity() {
	if !f.flags.has(fCapacity) || f.p.Party == ToRepresentative || f.p.Party == ToAttorney {
		return
	}
	f.fire(RuleUKCapacity, Block, Text{
		ZH: "客户可能缺乏行为能力，暂停追收，仅可与授权代表沟通。",
		EN: "The customer may lack mental capacity; recovery is suspended and only an authorised representative may be contacted.",
	})
}

// checkUKVisit applies R43: a visitor states the purpose of the visit, and
// an initial visit needs prior written notice (uk_visit_notice_days, at
// least 7 days by default) and a supervisor's approval.
func (f *facts) checkUKVisit() {
	p := f.p
	initial := f.count(func(a *Attempt) bool { return a.Channel == Visit && !a.Inbound }) == 0
	var failed []string
	if strings.TrimSpace(p.VisitPurpose) == "" {
		failed = append(failed, "purpose_missing")
	}
	days := f.lim.ukNoticeDay
	if initial {
		switch {
		case p.NoticeSentAt.IsZero():
			failed = append(failed, "notice_missing")
		case p.At.Sub(p.NoticeSentAt) < time.Duration(days)*24*time.Hour:
			failed = append(failed, "notice_too_late")
		}
	}
	if len(failed) > 0 {
		d := f.fire(RuleUKVisitNotice, Block, Text{
			ZH: fmt.Sprintf("上门须说明目的；首次上门须提前至少 %d 天书面通知：%s", days, strings.Join(failed, ", ")),
			EN: fmt.Sprintf("A visit must state its purpose, and an initial visit needs written notice at least %d days ahead: %s.", days, strings.Join(failed, ", ")),
		})
		d.Failed, d.Limit = failed, days
		return
	}
	if initial {
		f.needApproval(RuleUKVisitNotice, auth.Supervisor, Text{
			ZH: "首次上门须经主管审批。",
			EN: "An initial visit needs a supervisor's approval.",
		})
	}
}
