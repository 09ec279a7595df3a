package web

import "maps"

// complianceScreenMessages are the texts of the console's warned-message
// list and of the template checker's screening categories; they join
// complianceMessages.
var complianceScreenMessages = map[string][2]string{
	"compliance.warned_queued":      {"待发送的警示消息", "Queued messages with a warning"},
	"compliance.warned_queued_note": {"以下消息尚未发出，合规检查给出了警示；发送前还会再检查一次。如需拦截，请联系发送人撤回。", "These messages have not gone out yet and the governor warned about them; they are checked again before sending. Ask the sender to withdraw one that should not go."},
	"compliance.send_after":         {"最早发送时间", "Send after"},
	"compliance.message_status":     {"状态", "Status"},
	"compliance.message_text":       {"内容", "Text"},

	"message_status.queued": {"排队中", "queued"},
	"message_status.held":   {"暂缓至允许时段", "held for the allowed window"},

	"screen.threat_violence": {"暴力威胁或恐吓", "Threats of violence, intimidation"},
	"screen.implied_threat":  {"暗示上门、告知家人单位或通讯录、曝光", "Implied threats: home, family, workplace, contacts, exposure"},
	"screen.abuse":           {"辱骂、侮辱", "Insults, abusive language"},
	"screen.false_legal":     {"虚假法律后果（逮捕、拘留、案底、黑名单）", "False legal consequences (arrest, jail, criminal record, blacklists)"},
	"screen.impersonation":   {"冒充公检法、律师或政府", "Claims to be police, a court, a lawyer or government"},
	"screen.legal":           {"法律程序表述（须附真实案号并经合规审批）", "Legal proceedings stated as fact (need a real case number and compliance approval)"},
	"screen.borrow_to_repay": {"诱导借新还旧、以贷养贷", "Urging borrowing elsewhere to repay"},
	"screen.pressure":        {"额外收费、要求变卖财产", "Extra fees, pressing to sell assets"},
	"screen.debt":            {"债务信息（不得透露给第三方）", "Debt facts (never to third parties)"},
}

func init() { maps.Copy(complianceMessages, complianceScreenMessages) }
