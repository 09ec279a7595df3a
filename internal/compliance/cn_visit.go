package compliance

import (
	"strings"
	"time"

	"accord/internal/auth"
)

// checkCNVisit applies R12: at least two collectors, a recording device
// bound to the visit, a start inside the allowed hours, the borrower not in
// lost contact, and (policy visit_advance_notice, default on) notice at
// least 24 hours ahead. A visit that meets all of these still needs a
// supervisor's approval.
func (f *facts) checkCNVisit(outsideHours bool) {
	p := f.p
	var failed []string
	n := distinct(p.Collectors)
	if n < 2 {
		failed = append(failed, "collectors_fewer_than_2")
	}
	if p.RecordingDevice == "" {
		failed = append(failed, "recording_device_missing")
	}
	if outsideHours {
		failed = append(failed, "start_outside_allowed_hours")
	}
	if f.flags.has(fLostContact) {
		failed = append(failed, "borrower_lost_contact")
	}
	if f.lim.visitNotice {
		need := time.Duration(f.lim.visitNoticeHours) * time.Hour
		switch {
		case p.NoticeSentAt.IsZero():
			failed = append(failed, "notice_missing")
		case p.At.Sub(p.NoticeSentAt) < need:
			failed = append(failed, "notice_too_late")
		}
	}
	if len(failed) > 0 {
		d := f.fire(RuleCNVisit, Block, Text{
			ZH: "外访条件不满足（至少两名催收员、录音录像设备、允许时段、提前通知）：" + strings.Join(failed, ", "),
			EN: "The visit does not meet the conditions (two collectors, a recording device, allowed hours, advance notice): " + strings.Join(failed, ", ") + ".",
		})
		d.Failed, d.Count, d.Limit = failed, n, 2
		return
	}
	f.needApproval(RuleCNVisit, auth.Supervisor, Text{
		ZH: "外访须经主管审批，并全程录音录像。",
		EN: "A visit needs a supervisor's approval and is recorded throughout.",
	})
}

// checkCNOutsourcing applies R14 to a placement with an agency: the agency
// is whitelisted, the borrower has been told of the outsourcing, and the
// agent has a training record from the last 12 months. A placement that
// meets these needs compliance approval.
func (f *facts) checkCNOutsourcing() {
	p := f.p
	var failed []string
	if p.By == "" || p.By == "lender" || p.By == "system" {
		failed = append(failed, "agency_missing")
	}
	if !p.AgencyWhitelisted {
		failed = append(failed, "agency_not_whitelisted")
	}
	if !f.flags.has(fOutsourcingNotified) {
		failed = append(failed, "borrower_not_notified")
	}
	switch {
	case p.AgentTrainedAt.IsZero():
		failed = append(failed, "agent_training_missing")
	case p.AgentTrainedAt.Before(p.At.AddDate(-1, 0, 0)):
		failed = append(failed, "agent_training_expired")
	}
	if len(failed) > 0 {
		d := f.fire(RuleCNOutsourcing, Block, Text{
			ZH: "委外条件不满足（白名单机构、已告知借款人、催收员一年内受训）：" + strings.Join(failed, ", "),
			EN: "The placement does not meet the conditions (whitelisted agency, borrower told, agent trained in the last 12 months): " + strings.Join(failed, ", ") + ".",
		})
		d.Failed = failed
		return
	}
	f.needApproval(RuleCNOutsourcing, auth.Compliance, Text{
		ZH: "委外催收须经合规审批。",
		EN: "Placing the case with an agency needs compliance approval.",
	})
}
