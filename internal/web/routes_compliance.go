package web

import "accord/internal/auth"

// registerCompliance registers the contact-governor routes: the contact
// panel and contact log, messages, approvals, the compliance console and
// their JSON API. Editing the policy and the calendar is further limited to
// admins and compliance officers by the use cases.
func (s *Server) registerCompliance() {
	// The contact panel, on the case page and on the borrower page.
	for _, base := range []string{"/borrowers/{id}", "/cases/{id}"} {
		s.handle("GET", base+"/contact", auth.PermContactLog, s.handleContactPanel)
		s.handle("POST", base+"/contacts", auth.PermContactLog, s.handleContactCreate)
		s.handle("POST", base+"/messages", auth.PermContactLog, s.handleContactMessage)
	}
	// The compliance console.
	s.handle("GET", "/compliance", auth.PermComplianceRead, s.handleComplianceIndex)
	s.handle("GET", "/compliance/approvals", auth.PermApprove, s.handleComplianceApprovals)
	s.handle("POST", "/compliance/approvals/{id}/approve", auth.PermApprove, s.handleComplianceDecide)
	s.handle("POST", "/compliance/approvals/{id}/deny", auth.PermApprove, s.handleComplianceDecide)
	s.handle("GET", "/compliance/screen", auth.PermComplianceRead, s.handleComplianceScreenShow)
	s.handle("POST", "/compliance/screen", auth.PermComplianceRead, s.handleComplianceScreen)
	s.handle("GET", "/compliance/policy", auth.PermComplianceRead, s.handleCompliancePolicy)
	s.handle("POST", "/compliance/policy/{jurisdiction}", auth.PermComplianceEdit, s.handleCompliancePolicyUpdate)
	s.handle("GET", "/compliance/calendar", auth.PermComplianceRead, s.handleComplianceCalendar)
	s.handle("POST", "/compliance/calendar/{year}", auth.PermComplianceEdit, s.handleComplianceCalendarUpdate)
	s.handle("GET", "/compliance/export", auth.PermComplianceRead, s.handleComplianceExport)
	s.handle("GET", "/api/v1/compliance/export", auth.PermComplianceRead, s.handleComplianceExport)

	s.registerContactAPI()    // api_contact.go
	s.registerComplianceAPI() // api_compliance.go
}

// complianceMessages holds the console texts of the contact panel and the
// compliance console: key → {zh-CN, en}.
var complianceMessages = map[string][2]string{
	"nav.compliance": {"合规", "Compliance"},

	"contact.panel":      {"联系前检查", "Before you contact"},
	"contact.now":        {"借款人当地时间", "Borrower's local time"},
	"contact.profile":    {"适用规则", "Rules"},
	"contact.specialist": {"弱势借款人：由专门队列处理，不纳入自动化催收", "Vulnerable borrower: specialist queue, no automated contact"},
	"contact.point":      {"号码/地址", "Number / address"},
	"contact.channel":    {"渠道", "Channel"},
	"contact.decision":   {"判定", "Decision"},
	"contact.why":        {"规则与原因", "Rules and reasons"},
	"contact.route":      {"转专门队列", "Specialist queue"},
	"contact.next":       {"最早可联系时间：", "Next allowed at"},
	"contact.send":       {"发送", "Send"},
	"contact.subject":    {"主题", "Subject"},
	"contact.log":        {"记录本次联系", "Log this contact"},
	"contact.recording":  {"录音编号", "Recording reference"},
	"contact.notes":      {"备注", "Notes"},
	"contact.approvals":  {"审批申请", "Approval requests"},
	"contact.recent":     {"最近联系记录", "Recent contacts"},
	"contact.at":         {"时间", "Time"},
	"contact.by":         {"操作人", "By"},
	"contact.outcome":    {"结果", "Outcome"},
	"contact.refused":    {"已拒绝（未执行）", "Refused (not made)"},
	"contact.logged":     {"联系已记录。", "The contact was logged."},
	"contact.queued":     {"消息已进入发送队列，发送前将再次检查。", "The message is queued; it is checked again before it goes out."},

	"day.working_day":      {"工作日", "working day"},
	"day.weekend":          {"周末", "weekend"},
	"day.holiday":          {"法定节假日", "statutory holiday"},
	"day.adjusted_workday": {"调休上班日", "adjusted working day"},

	"decision.allow":    {"允许", "allow"},
	"decision.warn":     {"警示", "warn"},
	"decision.approval": {"需审批", "needs approval"},
	"decision.block":    {"禁止", "block"},

	"channel.call":        {"电话", "Call"},
	"channel.sms":         {"短信", "SMS"},
	"channel.email":       {"邮件", "Email"},
	"channel.letter":      {"信函", "Letter"},
	"channel.visit":       {"外访", "Visit"},
	"channel.im":          {"即时通讯", "Instant message"},
	"channel.bot":         {"机器人", "Bot"},
	"channel.group":       {"群组消息", "Group message"},
	"channel.public_post": {"公开发布", "Public post"},
	"channel.placement":   {"委外", "Agency placement"},

	"outcome.connected":               {"接通", "Connected"},
	"outcome.no_answer":               {"无人接听", "No answer"},
	"outcome.busy":                    {"忙线", "Busy"},
	"outcome.invalid_number":          {"空号/无效号码", "Invalid number"},
	"outcome.voicemail":               {"语音信箱", "Voicemail"},
	"outcome.limited_content_message": {"有限内容留言", "Limited-content message"},
	"outcome.refused":                 {"拒接/挂断", "Refused"},
	"outcome.sent":                    {"已发送", "Sent"},
	"outcome.delivered":               {"已送达", "Delivered"},
	"outcome.failed":                  {"发送失败", "Failed"},

	"result.promise":       {"承诺还款", "Promise to pay"},
	"result.dispute":       {"提出异议", "Dispute"},
	"result.hardship":      {"还款困难", "Hardship"},
	"result.complaint":     {"投诉", "Complaint"},
	"result.cease_request": {"要求停止联系", "Cease request"},
	"result.wrong_party":   {"非本人", "Wrong party"},
	"result.vulnerable":    {"弱势迹象", "Signs of vulnerability"},
	"result.already_paid":  {"称已还款", "Says already paid"},

	"flag.vulnerable":           {"弱势", "vulnerable"},
	"flag.serious_illness":      {"重病", "serious illness"},
	"flag.bereavement":          {"丧亲", "bereavement"},
	"flag.mental_health":        {"心理健康", "mental health"},
	"flag.disability":           {"残障", "disability"},
	"flag.old_age":              {"高龄", "old age"},
	"flag.job_loss":             {"失业", "job loss"},
	"flag.disputed":             {"有异议", "disputed"},
	"flag.dispute_written":      {"书面异议", "written dispute"},
	"flag.dispute_resolved":     {"异议已核实", "dispute resolved"},
	"flag.cease":                {"要求停止联系", "cease"},
	"flag.lost_contact":         {"失联", "lost contact"},
	"flag.hardship":             {"还款困难", "hardship"},
	"flag.complaint":            {"投诉", "complaint"},
	"flag.attorney_represented": {"律师代理", "attorney"},
	"flag.capacity_concern":     {"行为能力存疑", "capacity concern"},
	"flag.outsourcing_notified": {"已告知委外", "told of outsourcing"},

	"rel.mother": {"母亲", "mother"}, "rel.father": {"父亲", "father"}, "rel.parent": {"父母", "parent"},
	"rel.spouse": {"配偶", "spouse"}, "rel.sibling": {"兄弟姐妹", "sibling"}, "rel.child": {"子女", "child"},
	"rel.friend": {"朋友", "friend"}, "rel.colleague": {"同事", "colleague"}, "rel.other": {"其他", "other"},

	"party.borrower": {"借款人", "borrower"}, "party.contact": {"登记联系人", "registered contact"},
	"party.third_party": {"第三人", "third party"}, "party.employer": {"工作单位", "employer"},
	"party.attorney": {"律师", "attorney"}, "party.representative": {"授权代表", "representative"},
	"party.public": {"公众", "public"},

	"approval.pending":  {"待审批", "pending"},
	"approval.approved": {"已批准", "approved"},
	"approval.denied":   {"已拒绝", "denied"},
	"approval.used":     {"已使用", "used"},

	"compliance.title":      {"合规控制台", "Compliance console"},
	"compliance.overview":   {"拦截与警示", "Blocked and warned"},
	"compliance.approvals":  {"审批", "Approvals"},
	"compliance.screen":     {"话术/模板检查", "Template checker"},
	"compliance.policy":     {"现行规则", "Policy in force"},
	"compliance.calendar":   {"节假日日历", "Holiday calendar"},
	"compliance.export":     {"监管导出", "Regulator export"},
	"compliance.from":       {"起", "From"},
	"compliance.to":         {"止", "To"},
	"compliance.show":       {"查询", "Show"},
	"compliance.flagged":    {"被拦截、警示或待审批的联系", "Contacts blocked, warned or held for approval"},
	"compliance.hits":       {"规则触发率", "Rule hit rates"},
	"compliance.by_team":    {"按团队", "By team"},
	"compliance.by_agency":  {"按委外机构", "By agency"},
	"compliance.by_user":    {"按催收员", "By collector"},
	"compliance.group":      {"分组", "Group"},
	"compliance.attempts":   {"联系次数", "Attempts"},
	"compliance.flagged_n":  {"被标记", "Flagged"},
	"compliance.lender":     {"本机构/系统", "Lender / system"},
	"compliance.pending":    {"待审批", "Pending approvals"},
	"compliance.approve":    {"批准", "Approve"},
	"compliance.deny":       {"拒绝", "Deny"},
	"compliance.note":       {"审批意见", "Note"},
	"compliance.required":   {"所需角色", "Required role"},
	"compliance.requested":  {"申请人", "Requested by"},
	"compliance.paste":      {"粘贴短信模板、话术或备注：", "Paste a message template, script or note:"},
	"compliance.check":      {"检查", "Check"},
	"compliance.clean":      {"未发现违规用语。", "Nothing objectionable found."},
	"compliance.active":     {"当前适用", "In force"},
	"compliance.activate":   {"设为当前适用", "Make this the profile in force"},
	"compliance.settings":   {"租户设置（只能更严格）", "Tenant settings (stricter only)"},
	"compliance.limits":     {"生效限制", "Limits in force"},
	"compliance.rule":       {"规则", "Rule"},
	"compliance.source":     {"依据", "Source"},
	"compliance.severity":   {"最严重处理", "Most severe action"},
	"compliance.window":     {"允许联系时段", "Allowed hours"},
	"compliance.default":    {"留空为法定默认值", "Leave empty for the legal default"},
	"compliance.unchanged":  {"默认", "default"},
	"compliance.on":         {"开", "on"},
	"compliance.off":        {"关", "off"},
	"compliance.year":       {"年份", "Year"},
	"compliance.edited":     {"已由管理员修改", "Edited by an admin"},
	"compliance.builtin":    {"内置数据（国务院通知）", "Built-in data (State Council notices)"},
	"compliance.nodata":     {"该年份没有节假日数据：节假日规则只能警示。", "No holiday data for this year: the holiday rule can only warn."},
	"compliance.edit":       {"编辑（CSV：日期,类型,中文名,英文名；类型为 holiday 或 adjusted_workday；清空则恢复内置数据）", "Edit (CSV: date,kind,name_zh,name_en; kind holiday or adjusted_workday; empty restores the built-in data)"},
	"compliance.date":       {"日期", "Date"},
	"compliance.kind":       {"类型", "Kind"},
	"compliance.name":       {"名称", "Name"},
	"compliance.export_csv": {"导出 CSV", "Export CSV"},
	"compliance.export_xls": {"导出 Excel", "Export Excel"},
}
