package web

import "fmt"

// negotiationMessages are the negotiation desk's texts: key → {zh-CN, en}.
// The desk's pages get them as .Data.T in the page's language, so that a
// missing key shows as itself.
var negotiationMessages = map[string][2]string{
	"title":            {"二次协商", "Negotiation desk"},
	"case":             {"案件", "Case"},
	"back":             {"返回案件", "Back to the case"},
	"assessment":       {"还款能力评估", "Affordability assessment"},
	"version":          {"版本", "Version"},
	"monthly_income":   {"月收入（元）", "Monthly income (yuan)"},
	"income_evidence":  {"收入证明类型", "Income evidence"},
	"essential":        {"必要支出（留空按家庭人数与城市等级估算）", "Essential expenses (empty: default for household and city)"},
	"household_size":   {"家庭人数", "Household size"},
	"city_tier":        {"城市等级（1–4）", "City tier (1–4)"},
	"other_debt":       {"其他负债月供", "Other debt payments"},
	"dependants":       {"赡养人数", "Dependants"},
	"liquid":           {"可用存款", "Liquid assets"},
	"hardship":         {"困难原因", "Hardship"},
	"hardship_months":  {"预计持续月数", "Expected months"},
	"willingness":      {"还款意愿", "Willingness"},
	"evidence":         {"证据说明", "Evidence note"},
	"save_assessment":  {"保存评估（新版本）", "Save assessment (new version)"},
	"disposable":       {"可支配收入", "Disposable income"},
	"dsr":              {"债务收入比", "Debt-service ratio"},
	"sustainable":      {"可持续月还款额", "Sustainable payment"},
	"steps":            {"计算过程", "Arithmetic"},
	"no_assessment":    {"尚无评估。", "No assessment yet."},
	"offers":           {"还款方案", "Offers"},
	"propose":          {"生成方案", "Propose offers"},
	"no_offers":        {"尚无方案。", "No offers yet."},
	"kind":             {"类型", "Kind"},
	"total":            {"应还总额", "Total payable"},
	"max_payment":      {"最高月还款", "Largest payment"},
	"payments":         {"期数", "Payments"},
	"chart":            {"还款分布", "Payment profile"},
	"waived":           {"减免", "Waived"},
	"rate":             {"年化利率", "Annual rate"},
	"npv":              {"净现值", "NPV"},
	"p_kept":           {"履约概率", "Chance kept"},
	"recovery":         {"预期回收", "Expected recovery"},
	"affordable":       {"可负担", "Affordable"},
	"approval":         {"审批级别", "Approval level"},
	"status":           {"状态", "Status"},
	"proposed_by":      {"提出人", "Proposed by"},
	"decided_by":       {"审批人", "Decided by"},
	"reason":           {"理由", "Reason"},
	"approve":          {"批准", "Approve"},
	"reject":           {"驳回", "Reject"},
	"make_agreement":   {"生成协议", "Make agreement"},
	"yes":              {"是", "yes"},
	"no":               {"否", "no"},
	"rounds":           {"协商记录", "Rounds"},
	"no_rounds":        {"尚无协商记录。", "No rounds yet."},
	"add_round":        {"添加协商记录", "Add a round"},
	"held_at":          {"时间", "When"},
	"place_kind":       {"地点类型", "Place"},
	"place":            {"地址", "Address"},
	"channel":          {"方式", "Channel"},
	"participants":     {"参与人（逗号分隔）", "Participants (comma-separated)"},
	"situation":        {"借款人陈述的情况", "What the borrower said"},
	"counter_offer":    {"借款人反提议", "Counter-offer"},
	"key_points":       {"要点", "Key points"},
	"outcome":          {"结果", "Outcome"},
	"attachments":      {"附件", "Attachments"},
	"agreements":       {"还款协议", "Agreements"},
	"agreement":        {"还款协议", "Agreement"},
	"print":            {"打印", "Print"},
	"send_code":        {"发送短信确认码", "Send SMS code"},
	"code":             {"短信确认码", "SMS code"},
	"accept":           {"确认接受", "Confirm acceptance"},
	"codes_sent":       {"已发送确认码", "Codes sent"},
	"attempts":         {"已尝试次数", "Attempts"},
	"expires":          {"有效期至", "Valid until"},
	"accepted_at":      {"接受时间", "Accepted at"},
	"method":           {"接受方式", "Accepted by"},
	"signed_sha256":    {"签署件 SHA-256", "Signed copy SHA-256"},
	"inbox":            {"待审批方案", "Offers awaiting approval"},
	"inbox_none":       {"没有待您审批的方案。", "No offers await your decision."},
	"plans":            {"还款计划", "Repayment plans"},
	"as_of":            {"截至", "as of"},
	"plans_truncated":  {"仅显示前 500 个计划。", "Only the first 500 plans are shown."},
	"plans_active":     {"履约中的计划", "Active plans"},
	"plans_grace":      {"宽限期内的计划", "Plans in grace"},
	"plans_broken":     {"已违约的计划", "Broken plans"},
	"plans_none":       {"无。", "None."},
	"start":            {"生效日", "Start"},
	"financed":         {"重组本金", "Financed"},
	"paid":             {"已还", "Paid"},
	"remaining":        {"剩余应还", "Remaining"},
	"next_due":         {"下一还款日", "Next due"},
	"next_amount":      {"下一期应还", "Next amount"},
	"oldest_due":       {"最早未还到期日", "Oldest unpaid due"},
	"dpd":              {"逾期天数", "Days past due"},
	"overdue":          {"逾期金额", "Overdue"},
	"grace_ends":       {"宽限期截止", "Grace ends"},
	"broken_on":        {"违约日", "Broken on"},
	"revisits":         {"回访日历", "Revisit calendar"},
	"revisits_none":    {"本月没有待回访任务。", "No revisits due this month."},
	"saved.assessment": {"评估已保存", "Assessment saved"},
	"saved.offers":     {"方案已生成", "Offers proposed"},
	"saved.round":      {"协商记录已添加", "Round added"},
	"saved.approved":   {"方案已批准", "Offer approved"},
	"saved.rejected":   {"方案已驳回", "Offer rejected"},
	"saved.code":       {"确认码已发送（经合规检查进入发送队列）", "Code queued (through the contact check)"},
	"saved.accepted":   {"协议已接受并生效", "Agreement accepted and activated"},

	// Offer kinds, statuses, approval levels and acceptance methods, shown
	// through the lbl template function (a missing key shows the code).
	"kind.extension":      {"展期", "Term extension"},
	"kind.graduated":      {"阶梯还款", "Graduated payments"},
	"kind.relief":         {"临时减免", "Temporary relief"},
	"kind.rate_cut":       {"降息", "Rate reduction"},
	"kind.waiver":         {"罚息费用减免", "Penalty and fee waiver"},
	"kind.settlement":     {"折扣结清", "Settlement"},
	"status.proposed":     {"待审批", "Proposed"},
	"budgets":             {"各小组本月重组预算", "Teams' restructuring budgets this month"},
	"team":                {"小组", "Team"},
	"budget_share":        {"预算比例", "Budget share"},
	"outstanding":         {"在催余额", "Outstanding"},
	"budget":              {"本月预算", "Budget"},
	"used":                {"已使用", "Used"},
	"left":                {"剩余", "Left"},
	"status.approved":     {"已批准", "Approved"},
	"status.rejected":     {"已驳回", "Rejected"},
	"status.accepted":     {"已接受", "Accepted"},
	"status.expired":      {"已失效", "Expired"},
	"status.pending":      {"待借款人确认", "Awaiting the borrower"},
	"status.cancelled":    {"已取消", "Cancelled"},
	"approval.collector":  {"催收员", "Collector"},
	"approval.supervisor": {"主管", "Supervisor"},
	"approval.manager":    {"经理", "Manager"},
	"method.sms_code":     {"短信确认码", "SMS code"},
	"method.signed_copy":  {"签字文本", "Signed copy"},
}

// negLabel is the lbl template function: the label of code under prefix in
// the desk's texts t, or the code itself when there is none.
func negLabel(t map[string]string, prefix string, code any) string {
	c := fmt.Sprint(code)
	if v, ok := t[prefix+"."+c]; ok && v != "" {
		return v
	}
	return c
}

// negLabels returns the desk's texts in lang.
func negLabels(lang string) map[string]string {
	out := make(map[string]string, len(negotiationMessages))
	for k, v := range negotiationMessages {
		out[k] = v[0]
		if lang == "en" && v[1] != "" {
			out[k] = v[1]
		}
	}
	return out
}
