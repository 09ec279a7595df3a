package web

import "maps"

// botMessages label what the chatbot adds to the console: the messaging
// integration's role and the kinds of task the bot gives people.
var botMessages = map[string][2]string{
	"role.bot_channel":            {"消息渠道接入（机器人）", "Messaging channel (bot)"},
	"taskkind.chat_handover":      {"机器人转人工", "Chat handover"},
	"taskkind.chat_vulnerable":    {"弱势借款人（机器人转交）", "Vulnerable borrower (from chat)"},
	"taskkind.chat_dispute":       {"异议核实（机器人）", "Dispute (from chat)"},
	"taskkind.chat_complaint":     {"投诉处理（机器人）", "Complaint (from chat)"},
	"taskkind.chat_payment_check": {"还款核实（机器人）", "Payment to check (from chat)"},
}

func init() { maps.Copy(adminMessages, botMessages) }
