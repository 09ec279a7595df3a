package web

import (
	"accord/internal/errs"
	"accord/internal/visit"
	"strings"
)

// visitMessages are the field-visit console's texts: key → {zh-CN, en}.
// The pages get them as .Data.T in the page's language (visitLabels); codes
// (states, outcomes, sources) are shown through the lbl template function.
var visitMessages = map[string][2]string{
	"approvals":          {"外访审批", "Visit approvals"},
	"awaiting":           {"待审批的外访申请", "Visit requests awaiting approval"},
	"none":               {"无。", "None."},
	"select_all":         {"全选", "Select all"},
	"case":               {"案件", "Case"},
	"open_case":          {"查看案件", "Open the case"},
	"region":             {"区域", "Region"},
	"city":               {"城市", "City"},
	"purpose":            {"外访目的", "Purpose"},
	"target":             {"外访目标", "Target"},
	"source":             {"来源", "Source"},
	"requested_by":       {"申请人", "Requested by"},
	"requested_at":       {"申请时间", "Requested at"},
	"overdue":            {"逾期金额", "Overdue"},
	"expected":           {"预期回收", "Expected value"},
	"cost":               {"外访成本", "Cost"},
	"net":                {"预期净收益", "Net value"},
	"note":               {"审批意见（驳回时必填）", "Note (required to reject)"},
	"approve":            {"批准", "Approve"},
	"reject":             {"驳回", "Reject"},
	"approve_selected":   {"批准所选", "Approve selected"},
	"reject_selected":    {"驳回所选", "Reject selected"},
	"results":            {"审批结果", "Decisions"},
	"ok":                 {"已处理", "Done"},
	"refused":            {"未处理", "Not done"},
	"approved_list":      {"已批准、待通知的外访", "Approved visits awaiting notice"},
	"notice_date":        {"外访日期", "Visit day"},
	"send_notice":        {"发送提前通知", "Send the advance notice"},
	"request_title":      {"申请上门外访", "Ask for a field visit"},
	"request_hint":       {"外访是成本最高、最敏感的联系方式：请写明目的，主管审批后方可安排。", "A visit is the costliest and most sensitive contact: say why; a supervisor approves it before it is planned."},
	"pref_from":          {"借款人方便的时间（起）", "Time that suits the borrower (from)"},
	"pref_until":         {"借款人方便的时间（止）", "Time that suits the borrower (until)"},
	"duration":           {"预计在场时长（分钟）", "Expected time on site (minutes)"},
	"submit_request":     {"提交申请", "Send the request"},
	"requested_ok":       {"外访申请已提交，等待主管审批。", "The visit request is sent; a supervisor will decide."},
	"back_case":          {"返回案件", "Back to the case"},
	"case_visits":        {"本案件的外访", "Visits of this case"},
	"state":              {"状态", "State"},
	"planned_on":         {"外访日期", "Visit day"},
	"pack":               {"外访准备包", "Preparation pack"},
	"print":              {"打印", "Print"},
	"profile":            {"借款人信息（已脱敏）", "Borrower (masked)"},
	"name":               {"姓名", "Name"},
	"national_id":        {"身份证号", "National ID"},
	"phones":             {"电话", "Phones"},
	"employer":           {"工作单位", "Employer"},
	"address":            {"外访地址", "Address"},
	"contract":           {"合同摘要与还款情况", "Contracts and repayment"},
	"product":            {"产品", "Product"},
	"principal":          {"本金", "Principal"},
	"rate":               {"年利率", "Annual rate"},
	"term":               {"期数", "Term"},
	"disbursed":          {"放款日", "Disbursed"},
	"dpd":                {"逾期天数", "DPD"},
	"outstanding":        {"剩余本金", "Outstanding principal"},
	"paid_installments":  {"已还期数", "Installments paid"},
	"overdue_inst":       {"逾期期数", "Installments overdue"},
	"contacts":           {"登记联系人（已脱敏）", "Registered contacts (masked)"},
	"relationship":       {"关系", "Relationship"},
	"phone":              {"电话", "Phone"},
	"history":            {"联系记录", "Contact history"},
	"when":               {"时间", "When"},
	"channel":            {"方式", "Channel"},
	"result":             {"结果", "Result"},
	"earlier":            {"以往外访", "Earlier visits"},
	"ask_amount":         {"本次应催金额", "Amount to ask for"},
	"offers":             {"预先测算的还款方案", "Pre-computed offers"},
	"kind":               {"类型", "Kind"},
	"total":              {"应还总额", "Total payable"},
	"payments":           {"期数", "Payments"},
	"approach":           {"建议沟通方式", "Suggested approach"},
	"rules":              {"外访须知", "Rules to remember"},
	"channels":           {"官方还款渠道（外访人员不得收取现金）", "Official payment channels (collectors never take cash)"},
	"days":               {"外访日程", "Visit day plans"},
	"date":               {"日期", "Date"},
	"show":               {"查看", "Show"},
	"plan_day":           {"为当日排程（重新排程）", "Plan the day (again)"},
	"planned_ok":         {"已排程。", "Planned."},
	"cancelled_ok":       {"外访已取消，当日行程已重新排程。", "The visit is cancelled and the day re-planned."},
	"pair":               {"外访小组", "Pair"},
	"agents":             {"组员", "Agents"},
	"version":            {"版本", "Version"},
	"replan_reason":      {"重新排程原因", "Re-planned because"},
	"travel_km":          {"行程（公里）", "Travel (km)"},
	"back_at":            {"返回时间", "Back at"},
	"value":              {"计划价值", "Value planned"},
	"stop":               {"站", "Stop"},
	"arrive":             {"到达", "Arrive"},
	"start":              {"开始", "Start"},
	"leave":              {"离开", "Leave"},
	"map":                {"路线图", "Map of the day"},
	"map_alt":            {"当日路线图：出发点、各站顺序与未安排的外访", "The day's map: base, stops in order and visits left out"},
	"left_out":           {"未安排的外访", "Visits left out"},
	"reason":             {"原因", "Reason"},
	"cancel":             {"取消并重新排程", "Cancel and re-plan"},
	"cancel_reason":      {"取消原因", "Reason to cancel"},
	"no_plans":           {"当日没有排程。", "No plans that day."},
	"today":              {"今日外访", "Today's visits"},
	"today_none":         {"今天没有安排给您的外访。", "No visits are planned for you today."},
	"checkin":            {"到达签到", "Check in"},
	"partner":            {"同行组员", "Partner present"},
	"device":             {"录音录像设备编号", "Recording device"},
	"lat":                {"纬度", "Latitude"},
	"lon":                {"经度", "Longitude"},
	"locate":             {"获取当前位置", "Use my location"},
	"locating":           {"正在定位…", "Locating…"},
	"locate_failed":      {"无法获取位置，请手动填写经纬度。", "No location from the phone: type the latitude and longitude."},
	"checked_in_ok":      {"已签到。", "Checked in."},
	"flagged":            {"签到位置距地址较远，已提示主管。", "Checked in far from the address: the supervisor is told."},
	"distance_m":         {"距地址（米）", "From the address (m)"},
	"refused_title":      {"合规引擎拒绝了本次外访", "The contact governor refused the visit"},
	"error_title":        {"操作未完成", "Not done"},
	"outcome":            {"记录外访结果", "Record the outcome"},
	"outcome_kind":       {"结果", "Outcome"},
	"met_whom":           {"见到的人（不得透露债务信息）", "Whom you met (nothing of the debt disclosed)"},
	"amount":             {"金额（元）", "Amount (yuan)"},
	"promise_date":       {"承诺还款日", "Promised date"},
	"payment_ref":        {"官方渠道交易流水号", "Official channel's reference"},
	"new_address":        {"新地址（如得知）", "New address (if learnt)"},
	"photo":              {"照片", "Photo"},
	"outcome_note":       {"情况说明", "What happened"},
	"save_outcome":       {"提交结果（提交后不可修改）", "Submit (cannot be changed afterwards)"},
	"outcome_ok":         {"外访结果已记录。", "The outcome is recorded."},
	"entries":            {"已记录的结果", "Recorded outcomes"},
	"attachments":        {"附件", "Attachments"},
	"report":             {"外访报告", "Visit report"},
	"from":               {"起", "From"},
	"to":                 {"止", "To"},
	"by_pair":            {"按小组", "By pair"},
	"by_region":          {"按区域", "By region"},
	"planned":            {"计划", "Planned"},
	"made":               {"完成", "Made"},
	"outcomes":           {"结果分布", "Outcomes"},
	"cost_per_visit":     {"单次成本", "Cost per visit"},
	"recovered":          {"30天内回收", "Recovered in 30 days"},
	"incidents":          {"事件", "Incidents"},
	"complaints":         {"投诉", "Complaints"},
	"flagged_checkins":   {"异常签到", "Far check-ins"},
	"comparison":         {"与未外访的同类案件对比（同账龄、层级、客群）", "Against similar unvisited cases (same bucket, tier and segment)"},
	"bucket":             {"账龄", "Bucket"},
	"tier":               {"层级", "Tier"},
	"segment":            {"客群", "Segment"},
	"visited":            {"外访案件", "Visited"},
	"visited_rate":       {"外访回收率", "Visited: recovered"},
	"unvisited":          {"未外访案件", "Not visited"},
	"unvisited_rate":     {"未外访回收率", "Not visited: recovered"},
	"nav_approvals":      {"审批", "Approvals"},
	"nav_days":           {"日程", "Day plans"},
	"nav_today":          {"今日外访", "Today"},
	"nav_report":         {"报告", "Report"},
	"unknown_pair":       {"（无小组）", "(no pair)"},
	"address_history":    {"地址变更记录", "Address changes"},
	"day_left_out":       {"本次排程未安排的外访", "Visits left out of this plan"},
	"open_incidents":     {"待处理的冲突、安全事件和投诉", "Open incidents and complaints"},
	"acknowledge":        {"已知悉", "Acknowledge"},
	"flagged_far":        {"签到距地址较远", "Checked in far from the address"},
	"incident.incident":  {"冲突或安全事件", "Incident"},
	"incident.complaint": {"投诉", "Complaint"},
	"address_was":        {"原地址", "was"},
	"address_from_visit": {"来自外访", "from visit"},

	// States, sources and outcomes, shown through lbl.
	"state.requested":            {"待审批", "Requested"},
	"state.approved":             {"已批准", "Approved"},
	"state.rejected":             {"已驳回", "Rejected"},
	"state.noticed":              {"已通知", "Noticed"},
	"state.planned":              {"已排程", "Planned"},
	"state.checked_in":           {"已签到", "Checked in"},
	"state.done":                 {"已完成", "Done"},
	"state.cancelled":            {"已取消", "Cancelled"},
	"source.strategy":            {"策略推荐", "Strategy"},
	"source.collector":           {"催收员申请", "Collector"},
	"kind.met_borrower":          {"见到借款人", "Met the borrower"},
	"kind.met_other":             {"见到他人", "Met someone else"},
	"kind.not_home":              {"无人在家", "Not at home"},
	"kind.moved":                 {"已搬离", "Moved"},
	"kind.refused":               {"拒绝沟通", "Refused"},
	"kind.incident":              {"冲突或安全事件", "Conflict or safety incident"},
	"kind.paid_official":         {"已通过官方渠道还款", "Paid through an official channel"},
	"kind.promise":               {"承诺还款", "Promise to pay"},
	"kind.negotiation":           {"开启协商", "Negotiation opened"},
	"channel.call":               {"电话", "Call"},
	"channel.sms":                {"短信", "SMS"},
	"channel.visit":              {"外访", "Visit"},
	"channel.email":              {"邮件", "Email"},
	"channel.letter":             {"信函", "Letter"},
	"channel.app_push":           {"App推送", "App push"},
	"relationship.spouse":        {"配偶", "Spouse"},
	"relationship.parent":        {"父母", "Parent"},
	"relationship.sibling":       {"兄弟姐妹", "Sibling"},
	"relationship.child":         {"子女", "Child"},
	"relationship.friend":        {"朋友", "Friend"},
	"relationship.colleague":     {"同事", "Colleague"},
	"relationship.other":         {"其他", "Other"},
	"left.no_slot":               {"当日无可用时段（节假日、允许时段或通知期）", "No time that day (holiday, allowed hours or notice)"},
	"left.governor":              {"合规引擎拒绝", "Refused by the contact governor"},
	"left.notice_other_day":      {"通知的是另一天", "Noticed for another day"},
	"left.unreachable_in_window": {"无法在时间窗内到达", "Cannot be reached inside its window"},
	"left.does_not_fit_day":      {"超出当日工作时间", "Does not fit in the working day"},
	"left.no_time_left":          {"当日已无时间", "No time left that day"},
	"left.cancelled":             {"已取消", "Cancelled"},
	"left.no_pair_capacity":      {"小组当日已满", "No pair has capacity left"},
	"left.no_pair_in_region":     {"该区域没有外访小组", "No pair serves the region"},
}

// visitKinds are the outcomes a field agent may record, in form order.
var visitKinds = []visit.Kind{visit.MetBorrower, visit.MetOther, visit.NotHome, visit.Moved, visit.Refused,
	visit.Incident, visit.PaidOfficial, visit.Promise, visit.Negotiation}

// visitLabels returns the field-visit texts in lang.
func visitLabels(lang string) map[string]string {
	out := make(map[string]string, len(visitMessages))
	for k, v := range visitMessages {
		out[k] = v[0]
		if lang == "en" && v[1] != "" {
			out[k] = v[1]
		}
	}
	return out
}

// visitErrorsZH are the Chinese wordings of the refusals a decision or a
// check-in may meet, keyed by their English message.
var visitErrorsZH = map[string]string{
	errs.MessageOf(visit.ErrSelfApproval):  "外访须由申请人以外的人批准。",
	errs.MessageOf(visit.ErrTransition):    "外访当前状态不允许此操作（可能已被处理）。",
	errs.MessageOf(visit.ErrNoticeFirst):   "安排外访前须先通知借款人。",
	errs.MessageOf(visit.ErrNoTime):        "当日在允许时段和通知期内已无可用时间。",
	errs.MessageOf(visit.ErrHoliday):       "法定节假日不安排外访。",
	errs.MessageOf(visit.ErrNoticeMissing): "尚未提前通知借款人。",
	errs.MessageOf(visit.ErrNoticeLate):    "通知借款人的时间太晚。",
}

// visitFailedZH are the Chinese words for the conditions the governor's
// CN-VISIT names as failed (its Chinese text names them by code).
var visitFailedZH = map[string]string{
	"collectors_fewer_than_2":     "催收员不足两名",
	"recording_device_missing":    "未携带绑定的录音录像设备",
	"start_outside_allowed_hours": "开始时间不在允许时段内",
	"borrower_lost_contact":       "借款人已失联",
	"notice_missing":              "未提前通知借款人",
	"notice_too_late":             "通知借款人过晚",
}

// refusalZH is a governor's Chinese refusal text with each failed
// condition in Chinese, its code kept in brackets for support.
func refusalZH(s string) string {
	for code, zh := range visitFailedZH {
		s = strings.ReplaceAll(s, code, zh+"（"+code+"）")
	}
	return s
}

// visitErrorText is err's message in lang: the governor's reasons in the
// user's language for a refusal; for others a known Chinese wording, or a
// Chinese word for the kind of error followed by the message.
func visitErrorText(lang string, err error) string {
	if r, ok := fieldworkRefusal(err); ok {
		if lang == "en" {
			return r.EN
		}
		return refusalZH(r.ZH)
	}
	return visitMessageText(lang, errs.CodeOf(err), errs.MessageOf(err))
}

// visitMessageText is a use case's message of code in lang.
func visitMessageText(lang string, code errs.Code, msg string) string {
	if lang == "en" {
		return msg
	}
	if zh, ok := visitErrorsZH[msg]; ok {
		return zh
	}
	prefix := map[errs.Code]string{errs.Forbidden: "无权操作", errs.NotFound: "记录不存在或不在您的范围内",
		errs.Conflict: "当前状态不允许", errs.Invalid: "填写有误"}[code]
	if prefix == "" {
		prefix = "操作失败"
	}
	return prefix + "：" + msg
}
