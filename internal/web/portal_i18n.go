package web

import (
	"strings"

	"accord/internal/errs"
)

// portalLabel returns the portal's text for key in lang: Chinese first,
// English when asked, the key itself when missing (visible, not blank).
func portalLabel(lang, key string) string {
	m, ok := portalMessages[key]
	if !ok {
		return key
	}
	if lang == "en" && m[1] != "" {
		return m[1]
	}
	return m[0]
}

// portalMessages are the portal's texts: key → {zh-CN, en}.
var portalMessages = map[string][2]string{
	"app.name":       {"自助还款服务", "Self-service repayments"},
	"nav.home":       {"我的欠款", "What I owe"},
	"nav.pay":        {"在线还款", "Pay"},
	"nav.promise":    {"承诺还款", "Promise to pay"},
	"nav.plan":       {"申请分期", "Ask for a plan"},
	"nav.requests":   {"异议与投诉", "Disputes and complaints"},
	"nav.logout":     {"退出", "Sign out"},
	"nav.lang":       {"English", "中文"},
	"error.internal": {"系统繁忙，请稍后再试。", "Something went wrong; please try again later."},
	"error.title":    {"无法完成", "Could not be done"},
	"back":           {"返回", "Back"},
	"submit":         {"提交", "Submit"},

	"login.title":       {"登录", "Sign in"},
	"login.intro":       {"请输入借款合同号和预留手机号，我们会向该手机发送验证码。", "Enter your loan number and the mobile number you registered; we will text you a code."},
	"login.loan_number": {"借款合同号", "Loan number"},
	"login.phone":       {"预留手机号", "Mobile number"},
	"login.send":        {"获取验证码", "Send me a code"},
	"login.expired":     {"您已退出或会话已过期，请重新登录。", "You were signed out or your session expired; please sign in again."},
	"code.title":        {"输入验证码", "Enter the code"},
	"code.intro":        {"如果借款合同号和手机号匹配，验证码已发送至该手机，5 分钟内有效。", "If the loan number and the mobile number match, a code was texted to that phone; it is valid for 5 minutes."},
	"code.held":         {"当前为休息时段，短信将在允许的时间发出。", "It is outside the allowed hours; the text will be sent when they begin."},
	"code.code":         {"验证码", "Code"},
	"code.verify":       {"登录", "Sign in"},
	"code.again":        {"重新获取", "Send a new code"},

	"home.title":       {"我的欠款", "What I owe"},
	"home.none":        {"没有查询到您的借款。", "No loans found."},
	"loan.number":      {"借款合同号", "Loan number"},
	"loan.principal":   {"借款本金", "Principal borrowed"},
	"loan.term":        {"期数", "Term"},
	"loan.months":      {"期", "months"},
	"loan.dpd":         {"逾期天数", "Days past due"},
	"loan.next_due":    {"下一还款日", "Next due date"},
	"loan.outstanding": {"剩余本金", "Principal outstanding"},
	"loan.overdue":     {"当前应还（逾期）", "Due now (overdue)"},
	"loan.ov_princ":    {"逾期本金", "Overdue principal"},
	"loan.ov_int":      {"逾期利息", "Overdue interest"},
	"loan.penalty":     {"罚息", "Penalty interest"},
	"loan.fees":        {"滞纳金", "Late fees"},
	"loan.cap_note":    {"罚息和滞纳金已按综合年化成本上限计算，超出部分不予收取。", "Penalty and fees are shown within the cost cap; anything above it is never charged."},
	"loan.payoff":      {"今日结清金额", "To settle today"},
	"loan.schedule":    {"还款计划", "Schedule"},
	"loan.payments":    {"还款记录", "Payments"},
	"loan.no_payments": {"暂无还款记录。", "No payments yet."},
	"sched.seq":        {"期次", "No."},
	"sched.due":        {"到期日", "Due"},
	"sched.amount":     {"应还本息", "Principal + interest"},
	"sched.paid":       {"已还", "Paid"},
	"sched.state":      {"状态", "Status"},
	"state.paid":       {"已还清", "Paid"},
	"state.overdue":    {"逾期", "Overdue"},
	"state.due":        {"今日到期", "Due today"},
	"state.upcoming":   {"未到期", "Upcoming"},
	"pay.date":         {"还款日期", "Date"},
	"pay.amount":       {"金额", "Amount"},
	"pay.allocation":   {"分配", "Allocated to"},
	"comp.principal":   {"本金", "principal"},
	"comp.interest":    {"利息", "interest"},
	"comp.penalty":     {"罚息", "penalty"},
	"comp.late_fee":    {"滞纳金", "late fee"},
	"comp.credit":      {"预存", "credit"},
	"channel.gateway":  {"在线支付", "online"},

	"pay.title":      {"在线还款", "Pay online"},
	"pay.intro":      {"您将跳转至官方支付渠道完成付款，款项到账后自动入账。", "You will be taken to the official payment channel; the payment is posted as soon as it arrives."},
	"pay.loan":       {"还款借款", "Loan"},
	"pay.sum":        {"还款金额（元）", "Amount (yuan)"},
	"pay.start":      {"去支付", "Continue to pay"},
	"pay.go":         {"前往支付页面", "Go to the payment page"},
	"pay.go_intro":   {"订单已创建，请在 30 分钟内完成支付。", "The order is created; please pay within 30 minutes."},
	"pay.order":      {"订单号", "Order"},
	"pay.status":     {"支付状态", "Payment status"},
	"order.created":  {"等待支付结果", "Waiting for the payment"},
	"order.paid":     {"支付成功，已入账", "Paid and posted"},
	"order.failed":   {"支付未成功", "The payment did not go through"},
	"pay.refresh":    {"刷新", "Refresh"},
	"pay.disabled":   {"在线还款暂不可用，请通过银行转账或官方 App 还款。", "Paying online is not available; please pay by bank transfer or in the official app."},
	"promise.title":  {"承诺还款", "Promise to pay"},
	"promise.intro":  {"告诉我们您计划何时还多少，我们会记录并短信确认。", "Tell us when and how much you will pay; we will record it and confirm by text."},
	"promise.amount": {"承诺金额（元）", "Amount (yuan)"},
	"promise.due":    {"还款日期", "Date"},
	"promise.note":   {"备注（可选）", "Note (optional)"},
	"promise.done":   {"已记录您的承诺：%s 前还款 %s 元。确认短信已发送。", "Your promise is recorded: %s yuan by %s. A confirmation text is on its way."},
	"promise.nocase": {"您目前没有逾期欠款，无需承诺还款。", "Nothing is overdue, so there is nothing to promise."},

	"plan.title":                {"申请个性化分期", "Ask for a repayment plan"},
	"plan.intro":                {"填写简短的收支情况，我们会给出您可承受的方案。", "Tell us briefly about your income and costs; we will propose plans you can afford."},
	"plan.income":               {"月收入（元）", "Monthly income (yuan)"},
	"plan.expenses":             {"必要生活支出（元，可选）", "Essential living costs (yuan, optional)"},
	"plan.other_debt":           {"其他债务月供（元）", "Other debt payments a month (yuan)"},
	"plan.dependants":           {"需抚养人数", "Dependants"},
	"plan.hardship":             {"困难原因", "Reason for difficulty"},
	"plan.hardship_mo":          {"预计困难持续月数", "Expected months of difficulty"},
	"plan.ask":                  {"查看方案", "See plans"},
	"plan.offers":               {"可选方案", "Plans"},
	"plan.total":                {"总还款额", "Total payable"},
	"plan.waived":               {"减免", "Waived"},
	"plan.instalments":          {"期数", "Instalments"},
	"plan.first":                {"首期", "First payment"},
	"plan.accept":               {"接受此方案", "Accept this plan"},
	"plan.review":               {"此方案需工作人员审核，我们会尽快联系您。", "This plan needs a review by our staff; we will contact you soon."},
	"plan.none":                 {"暂无方案。", "No plans yet."},
	"plan.code_title":           {"确认协议", "Confirm the agreement"},
	"plan.code_intro":           {"协议确认码已通过短信发送，请输入以接受协议。", "An acceptance code was texted to you; enter it to accept the agreement."},
	"plan.confirm":              {"确认接受", "Accept"},
	"plan.done":                 {"协议已生效，新的还款计划已开始。", "The agreement is in force; your new schedule has started."},
	"hardship.":                 {"无", "None"},
	"hardship.job_loss":         {"失业", "Lost my job"},
	"hardship.illness":          {"疾病", "Illness"},
	"hardship.business_failure": {"经营困难", "Business failure"},
	"hardship.family_event":     {"家庭变故", "Family event"},
	"hardship.income_drop":      {"收入下降", "Income dropped"},
	"hardship.other":            {"其他", "Other"},
	"kind.waiver":               {"减免", "Waiver"},
	"kind.extension":            {"展期", "Term extension"},
	"kind.rate_cut":             {"降息", "Rate cut"},
	"kind.relief":               {"临时减免", "Temporary relief"},
	"kind.graduated":            {"阶梯还款", "Graduated payments"},
	"kind.settlement":           {"结清", "Settlement"},
	"kind.freeze":               {"停息挂账", "Interest freeze"},

	"req.title":        {"异议、投诉与停止联系", "Disputes, complaints and stop-contact"},
	"req.intro":        {"提交后立即生效：相关催收联系会按规定调整，并由专人处理。", "Takes effect at once: collection contact is adjusted as the rules require, and a person follows up."},
	"req.dispute":      {"对欠款有异议", "I dispute the debt"},
	"req.complaint":    {"投诉", "I want to complain"},
	"req.stop_contact": {"要求停止催收联系", "Stop contacting me"},
	"req.kind":         {"类型", "Type"},
	"req.note":         {"说明", "Details"},
	"req.done":         {"已收到您的请求，我们会尽快处理。", "We have received your request and will deal with it soon."},
	"req.history":      {"我的请求", "My requests"},
	"req.plan":         {"分期申请", "Plan request"},
	"req.promise":      {"承诺还款", "Promise to pay"},

	"chat.open":     {"在线客服", "Chat with us"},
	"chat.title":    {"在线客服", "Chat"},
	"chat.intro":    {"您可以告诉我们何时还款、申请分期、提出异议或要求人工服务。机器人会按规定处理，需要时转给工作人员。", "Tell us when you will pay, ask for a plan, dispute the debt or ask for a person. The assistant follows the rules and passes you to staff when needed."},
	"chat.hello":    {"您好，请问有什么可以帮您？例如：“我下周五还两千”或“我还欠多少钱”。", "Hello, how can we help? For example: \"I will pay 2000 next Friday\" or \"How much do I owe?\""},
	"chat.label":    {"您的消息", "Your message"},
	"chat.send":     {"发送", "Send"},
	"chat.handover": {"工作人员会尽快回复您。", "A member of staff will reply to you soon."},
}

// portalErrorsZH are the Chinese texts of the use cases' messages the
// portal shows; any other message is shown by its code in Chinese.
var portalErrorsZH = map[string]string{
	"Enter your loan number and mobile number.":                     "请输入借款合同号和手机号。",
	"Too many codes were asked for this number: try again later.":   "该手机号获取验证码次数过多，请稍后再试。",
	"Too many codes were asked from this address: try again later.": "请求过于频繁，请稍后再试。",
	"The code is not the one sent.":                                 "验证码不正确。",
	"The code has expired: ask for a new one.":                      "验证码已过期，请重新获取。",
	"This code was already used or locked: ask for a new one.":      "验证码已失效，请重新获取。",
	"Enter the code.": "请输入验证码。",
	"Nothing is overdue on your loans, so there is nothing to arrange.":             "您目前没有逾期欠款。",
	"This offer needs a negotiator's approval first: we will contact you.":          "此方案需工作人员审核，我们会尽快联系您。",
	"Paying online is not available at the moment: use your bank's app or counter.": "在线还款暂不可用，请通过银行 App 或柜台还款。",
	"Missing or wrong CSRF token; reload the page and try again.":                   "页面已过期，请刷新后重试。",
	"The promise is not valid.":                                             "承诺信息有误，请检查。",
	"Too many wrong codes: send a new one.":                                 "错误次数过多，请重新获取确认码。",
	"The acceptance code has expired: send a new one.":                      "确认码已过期。",
	"The offer is not approved (or no longer: it expired or was replaced).": "该方案已失效，请重新申请。",
}

var portalCodeZH = map[errs.Code]string{
	errs.Invalid:      "输入有误，请检查后重试。",
	errs.NotFound:     "未找到该记录。",
	errs.Conflict:     "当前状态下无法完成此操作。",
	errs.Forbidden:    "暂时无法完成此操作。",
	errs.Unauthorized: "请重新登录。",
}

// portalMessage is err's message for a portal page in lang.
func portalMessage(lang string, err error) string {
	msg := errs.MessageOf(err)
	if lang == "en" {
		return msg
	}
	if zh, ok := portalErrorsZH[msg]; ok {
		return zh
	}
	if strings.HasPrefix(msg, "Too many wrong codes for this number") {
		return "验证码错误次数过多，该手机号已被暂时锁定，请稍后再试。"
	}
	if strings.HasPrefix(msg, "Too many wrong codes from this address") {
		return "验证码错误次数过多，请稍后再试。"
	}
	if zh, ok := portalCodeZH[errs.CodeOf(err)]; ok {
		return zh
	}
	return portalLabel(lang, "error.internal")
}

// portalFieldNames are the form fields' names in Chinese.
var portalFieldNames = map[string]string{"loan_number": "借款合同号", "phone": "手机号", "code": "验证码", "amount": "金额",
	"due": "日期", "note": "说明", "kind": "类型", "monthly_income": "月收入", "essential_expenses": "必要生活支出",
	"other_debt_payments": "其他债务月供", "dependants": "需抚养人数", "hardship": "困难原因", "hardship_months": "困难持续月数", "text": "消息", "message_id": "消息编号", "sent_at": "发送时间"}

// portalFieldMessage is a field error for a portal page in lang.
func portalFieldMessage(lang string, f errs.FieldError) string {
	if lang == "en" {
		return f.Message
	}
	name := portalFieldNames[f.Field]
	if name == "" {
		name = "此项"
	}
	return name + "填写有误，请检查"
}
