package web

import "accord/internal/auth"

// registerCasework registers the collections-cycle routes: the collector
// workbench, case pages, team queues, strategies, experiments, dashboard,
// and their JSON API.
func (s *Server) registerCasework() {
	// Collector workbench and cases.
	s.handle("GET", "/workbench", auth.PermCaseWork, s.handleWorkbench)
	s.handle("POST", "/workbench/next", auth.PermCaseWork, s.handleWorkbenchNext)
	s.handle("GET", "/cases", auth.PermCaseWork, s.handleCaseIndex)
	s.handle("GET", "/cases/{id}", auth.PermCaseWork, s.handleCaseShow)
	s.handle("POST", "/cases/{id}/notes", auth.PermCaseWork, s.handleCaseNoteCreate)
	s.handle("POST", "/cases/{id}/unlock", auth.PermCaseManage, s.handleCaseUnlock)
	s.handle("POST", "/cases/{id}/promises", auth.PermCaseWork, s.handlePromiseCreate)
	s.handle("POST", "/promises/{id}/cancel", auth.PermCaseWork, s.handlePromiseCancel)

	// Supervisor: team queues and reassignment.
	s.handle("GET", "/queues", auth.PermCaseManage, s.handleQueueIndex)
	s.handle("POST", "/queues/reassign", auth.PermCaseManage, s.handleQueueReassign)

	// Strategies and experiments.
	s.handle("GET", "/strategies", auth.PermStrategyEdit, s.handleStrategyIndex)
	s.handle("GET", "/strategies/new", auth.PermStrategyEdit, s.handleStrategyNew)
	s.handle("POST", "/strategies", auth.PermStrategyEdit, s.handleStrategyCreate)
	s.handle("POST", "/strategies/preview", auth.PermStrategyEdit, s.handleStrategyPreview)
	s.handle("GET", "/strategies/{id}", auth.PermStrategyEdit, s.handleStrategyShow)
	s.handle("POST", "/strategies/{id}/publish", auth.PermStrategyEdit, s.handleStrategyPublish)
	s.handle("GET", "/experiments", auth.PermStrategyEdit, s.handleExperimentIndex)
	s.handle("POST", "/experiments", auth.PermStrategyEdit, s.handleExperimentCreate)
	s.handle("GET", "/experiments/{id}", auth.PermDashboardRead, s.handleExperimentShow)
	s.handle("POST", "/experiments/{id}/stop", auth.PermStrategyEdit, s.handleExperimentStop)

	// The collections dashboard.
	s.handle("GET", "/dashboard", auth.PermDashboardRead, s.handleDashboard)
	s.handle("GET", "/dashboard/export.xlsx", auth.PermDashboardRead, s.handleDashboardExport)

	s.registerCaseAPI()
	s.registerPromiseAPI()
	s.registerNegotiationAPI()
	s.registerNegotiationPages()
	s.registerStrategyAPI()
	s.registerOfferPolicyAPI() // api_offer_policy.go
	s.registerTeamAPI()
}

// caseworkMessages holds the console texts of the collections cycle pages:
// key → {zh-CN, en}.
var caseworkMessages = map[string][2]string{
	"nav.workbench":  {"我的工作台", "Workbench"},
	"nav.queues":     {"团队队列", "Team queues"},
	"nav.strategies": {"催收策略", "Strategies"},
	"nav.dashboard":  {"催收看板", "Dashboard"},

	"wb.title":                 {"我的工作台", "My workbench"},
	"wb.next":                  {"获取下一个案件", "Get next case"},
	"wb.next.hint":             {"按今日工作价值（余额 × 接触改变结果的概率）从高到低分配，今天尚未处理的案件优先。", "Cases come highest value first (balance × chance that contact changes the outcome), those not worked today first."},
	"wb.empty":                 {"今天的案件都已处理完毕。", "No more cases to work today."},
	"wb.wait":                  {"剩余案件此刻均不可联系（不在借款人当地可联系时段、已达当日上限或不得联系），请稍后再试。", "The cases left may not be called now (outside the borrower's hours, at the day's limit or not to be contacted); try again later."},
	"wb.notcol":                {"您尚未被设置为催收员，暂无个人队列。", "You are not set up as a collector, so you have no queue."},
	"wb.queue":                 {"我的队列", "My queue"},
	"wb.total":                 {"在催案件", "Open cases"},
	"wb.notworked":             {"今日未处理", "Not worked today"},
	"wb.queuetasks":            {"我所在队列的待办", "Tasks in my queues"},
	"case.title":               {"案件", "Case"},
	"case.index":               {"案件列表", "Cases"},
	"case.borrower":            {"借款人", "Borrower"},
	"case.status":              {"状态", "Status"},
	"case.opened":              {"立案日期", "Opened"},
	"case.closed":              {"结案", "Closed"},
	"case.bucket":              {"账龄", "Bucket"},
	"case.dpd":                 {"逾期天数", "DPD"},
	"case.tier":                {"风险等级", "Risk tier"},
	"case.segment":             {"客群", "Segment"},
	"case.overdue":             {"逾期金额", "Overdue"},
	"case.balance":             {"待还总额", "Balance"},
	"case.ev":                  {"今日工作价值", "Value today"},
	"case.owner":               {"处理人", "Owner"},
	"case.recall_on":           {"收回日期", "recall"},
	"case.queue":               {"队列", "Queue"},
	"case.rule":                {"策略规则", "Strategy rule"},
	"case.arm":                 {"实验组", "Arm"},
	"case.strategy":            {"策略版本", "Strategy version"},
	"case.promises":            {"承诺还款（兑现/违约）", "Promises (kept/broken)"},
	"case.openprom":            {"未到期承诺", "Open promise"},
	"case.contacts":            {"联系次数（接通）", "Contacts (connected)"},
	"case.recovered":           {"立案后回款", "Recovered since opened"},
	"case.locked":              {"已锁定（手动分配）", "Locked (manual assignment)"},
	"case.unlock":              {"解除锁定", "Unlock"},
	"case.loans":               {"案件借款与逾期构成", "Loans and overdue breakdown"},
	"case.reasons":             {"分级原因", "Why this grade"},
	"case.script":              {"建议话术", "Suggested script"},
	"case.timeline":            {"案件时间线", "Timeline"},
	"case.tasks":               {"任务", "Tasks"},
	"case.notes":               {"添加备注（记入审计）", "Add a note (audited)"},
	"case.note.save":           {"保存备注", "Save note"},
	"case.outcome":             {"记录通话结果", "Log a call outcome"},
	"case.outcome.save":        {"保存通话结果", "Save outcome"},
	"case.promise.amount":      {"承诺金额", "Promise amount"},
	"case.promise.list":        {"承诺还款记录", "Promises to pay"},
	"case.promise.add":         {"登记承诺还款", "Record a promise to pay"},
	"case.promise.channel":     {"渠道", "Channel"},
	"case.promise.takenby":     {"登记人", "Taken by"},
	"case.promise.status":      {"状态", "Status"},
	"case.promise.paid":        {"已还", "Paid"},
	"case.promise.made":        {"登记日期", "Made on"},
	"case.promise.incontact":   {"在本次通话中承诺（先经合规检查登记该次联系）", "Made in a call not yet logged (log it through the contact check first)"},
	"case.promise.cancel":      {"取消", "Cancel"},
	"case.promise.reason":      {"取消原因", "Reason"},
	"case.promise.none":        {"暂无承诺还款记录。", "No promises to pay yet."},
	"case.saved.promise":       {"承诺还款已登记", "Promise recorded"},
	"case.saved.pcancel":       {"承诺还款已取消", "Promise cancelled"},
	"promise.open":             {"待履行", "Open"},
	"promise.kept":             {"已兑现", "Kept"},
	"promise.partly_kept":      {"部分兑现", "Partly kept"},
	"promise.broken":           {"违约", "Broken"},
	"promise.cancelled":        {"已取消", "Cancelled"},
	"case.promise.due":         {"承诺日期", "Promise date"},
	"case.hardship":            {"申报困难", "Declared hardship"},
	"case.evfactors":           {"工作价值因子", "Value factors"},
	"case.evscore":             {"按评分模型的30天内结清概率估值（余额 × 概率）：模型", "Valued by the cure model's chance within 30 days (balance × chance): model"},
	"case.contactpanel":        {"联系记录与合规检查", "Contacts and compliance check"},
	"case.none":                {"没有符合条件的案件。", "No case matches."},
	"case.saved.note":          {"备注已保存。", "Note saved."},
	"case.saved.outcome":       {"通话结果已记录。", "Call outcome logged."},
	"outcome.connected":        {"接通", "Connected"},
	"outcome.no_answer":        {"无人接听", "No answer"},
	"outcome.busy":             {"占线", "Busy"},
	"outcome.voicemail":        {"语音信箱", "Voicemail"},
	"outcome.refused":          {"拒接/挂断", "Refused"},
	"outcome.invalid_number":   {"空号/错号", "Invalid number"},
	"hardship.job_loss":        {"失业", "Job loss"},
	"hardship.illness":         {"疾病", "Illness"},
	"hardship.other":           {"其他", "Other"},
	"tier.low":                 {"低", "Low"},
	"tier.medium":              {"中", "Medium"},
	"tier.high":                {"高", "High"},
	"segment.willing_able":     {"有意愿有能力", "Willing & able"},
	"segment.willing_unable":   {"有意愿无能力", "Willing & unable"},
	"segment.unwilling_able":   {"无意愿有能力", "Unwilling & able"},
	"segment.unwilling_unable": {"无意愿无能力", "Unwilling & unable"},
	"casestatus.open":          {"在催", "Open"},
	"casestatus.closed":        {"已结案", "Closed"},
	"task.kind":                {"类型", "Kind"},
	"task.due":                 {"到期", "Due"},
	"task.priority":            {"优先级", "Priority"},
	"task.status":              {"状态", "Status"},
	"task.detail":              {"说明", "Detail"},

	"queues.title":      {"团队队列", "Team queues"},
	"queues.team":       {"团队", "Team"},
	"queues.collector":  {"催收员", "Collector"},
	"queues.load":       {"在催/容量", "Open / capacity"},
	"queues.agencies":   {"委外机构", "Agencies"},
	"queues.commission": {"佣金率", "Commission"},
	"queues.unassigned": {"未分配案件", "Unassigned cases"},
	"queues.filter":     {"筛选", "Filter"},
	"queues.all":        {"全部", "All"},
	"queues.reassign":   {"重新分配所选案件", "Reassign selected cases"},
	"queues.to":         {"分配给", "Assign to"},
	"queues.reason":     {"原因（必填，记入审计）", "Reason (required, audited)"},
	"queues.lock":       {"锁定：日终批处理不自动调整", "Lock: the nightly run keeps it there"},
	"queues.moved":      {"已重新分配案件数", "Cases reassigned"},

	"strat.title":        {"催收策略", "Strategies"},
	"strat.new":          {"新建版本", "New version"},
	"strat.name":         {"名称", "Name"},
	"strat.version":      {"版本", "Version"},
	"strat.status":       {"状态", "Status"},
	"strat.createdby":    {"创建人", "Created by"},
	"strat.published":    {"发布时间", "Published"},
	"strat.publish":      {"发布为冠军策略", "Publish as champion"},
	"strat.save":         {"校验并保存草稿", "Check and save draft"},
	"strat.preview":      {"预览：今日在催案件命中情况", "Preview on today's open cases"},
	"strat.definition":   {"策略定义（JSON）", "Definition (JSON)"},
	"strat.refused":      {"策略定义未通过校验，未保存；正在运行的版本保持不变。", "The definition was refused and not saved; the running version stays as it is."},
	"strat.rule":         {"规则", "Rule"},
	"strat.matched":      {"命中", "Matched"},
	"strat.decided":      {"决定", "Decided"},
	"strat.errors":       {"运行错误", "Errors"},
	"strat.unmatched":    {"未命中任何规则", "Matched no rule"},
	"strat.total":        {"案件数", "Cases"},
	"strat.treatments":   {"处置数量", "Treatments"},
	"strat.format":       {"格式说明：规则按顺序匹配，第一个命中的规则决定处置；continue 规则叠加处置。", "Rules are tried in order; the first match decides; continue rules add their treatments."},
	"strat.default":      {"尚未发布策略，正在使用系统默认策略。", "No version is published; Accord's default strategy runs."},
	"strategy.draft":     {"草稿", "Draft"},
	"strategy.published": {"已发布", "Published"},
	"strategy.retired":   {"已停用", "Retired"},

	"exp.title":      {"冠军/挑战者实验", "Champion / challenger experiments"},
	"exp.new":        {"开始新实验", "Start an experiment"},
	"exp.name":       {"实验名称", "Name"},
	"exp.champion":   {"冠军版本", "Champion version"},
	"exp.challenger": {"挑战者版本", "Challenger version"},
	"exp.share":      {"挑战者比例（0–1）", "Challenger share (0–1)"},
	"exp.start":      {"开始", "Start"},
	"exp.stop":       {"停止实验", "Stop"},
	"exp.promote":    {"采用挑战者（发布并停止实验）", "Promote challenger (publish and stop)"},
	"exp.results":    {"实验结果", "Results"},
	"exp.arm":        {"组别", "Arm"},
	"exp.cases":      {"案件数", "Cases"},
	"exp.cure":       {"出催率（95%置信区间）", "Cure rate (95% CI)"},
	"exp.roll":       {"滚动率（95%置信区间）", "Roll-forward rate (95% CI)"},
	"exp.recovered":  {"回款总额", "Recovered"},
	"exp.recmean":    {"户均回款（95%置信区间）", "Recovered per case (95% CI)"},
	"exp.contacts":   {"联系次数", "Contacts"},
	"exp.cost":       {"成本", "Cost"},
	"exp.pvalue":     {"差异显著性 p 值", "p-value of the difference"},
	"exp.hint":       {"p 值小于 0.05 说明差异不太可能是偶然；样本不足时请继续观察。", "A p-value below 0.05 means the difference is unlikely to be chance; with few cases, keep watching."},
	"exp.status":     {"状态", "Status"},
	"exp.trend":      {"每日累计", "Daily totals"},

	"dash.title":       {"催收看板", "Collections dashboard"},
	"dash.export":      {"导出 Excel", "Export to Excel"},
	"dash.flow":        {"迁徙率（月度，按余额）", "Flow (roll) rates month over month, by balance"},
	"dash.matrix":      {"本月账龄迁移矩阵（笔数）", "Bucket transitions this month (loans)"},
	"dash.cure":        {"出催率（月度）", "Cure rate by month"},
	"dash.recovery":    {"本月各账龄回款率", "Recovery rate by bucket this month"},
	"dash.collectors":  {"催收员：在催案件与本月回款", "Collectors: open cases and amounts collected this month"},
	"dash.teams":       {"团队本月回款", "Amounts collected per team this month"},
	"dash.agencies":    {"委外机构", "Agencies"},
	"dash.month":       {"月份", "Month"},
	"dash.atstart":     {"月初", "At start"},
	"dash.opened":      {"新增", "Opened"},
	"dash.cured":       {"出催", "Cured"},
	"dash.closedother": {"其他结案", "Closed otherwise"},
	"dash.rate":        {"比率", "Rate"},
	"dash.collected":   {"本月回款", "Collected"},
	"dash.promisekept": {"承诺兑现率（本月到期）", "Promise-kept rate (due this month)"},
	"dash.payments":    {"笔数", "Payments"},
	"dash.open":        {"在催", "Open"},
	"dash.capacity":    {"容量", "Capacity"},
}
