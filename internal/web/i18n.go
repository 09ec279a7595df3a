package web

import (
	"net/http"
	"strings"
)

// Languages the console speaks; the first is the default.
var languages = []string{"zh-CN", "en"}

const langCookie = "accord_lang"

// langOf picks the console language: the language cookie, then the user's
// setting, then zh-CN.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && validLang(c.Value) {
		return c.Value
	}
	if p := principalOf(r.Context()); p != nil && validLang(p.User.Language) {
		return p.User.Language
	}
	return languages[0]
}

func validLang(l string) bool { return l == "zh-CN" || l == "en" }

// tr returns the text for key in lang, falling back to Chinese and then to
// the key itself so that a missing translation is visible, not blank.
func tr(lang, key string) string {
	for _, cat := range catalogs {
		if m, ok := cat[key]; ok {
			if lang == "en" && m[1] != "" {
				return m[1]
			}
			return m[0]
		}
	}
	return key
}

// catalogs are the message tables, one per console area, searched in order.
var catalogs = []map[string][2]string{messages, caseworkMessages, complianceMessages, adminMessages}

// trStatus translates a code such as a loan status or bucket name under a prefix.
func trStatus(lang, prefix, code string) string {
	k := prefix + "." + strings.ToLower(code)
	if v := tr(lang, k); v != k {
		return v
	}
	return code
}

// messages holds the console's texts: key → {zh-CN, en}.
var messages = map[string][2]string{
	"app.name":                 {"Accord 催收协商平台", "Accord Collections"},
	"nav.overview":             {"资产概览", "Portfolio"},
	"nav.borrowers":            {"借款人", "Borrowers"},
	"nav.loans":                {"贷款", "Loans"},
	"nav.audit":                {"审计日志", "Audit log"},
	"nav.users":                {"用户", "Users"},
	"nav.logout":               {"退出登录", "Sign out"},
	"nav.lang":                 {"English", "中文"},
	"login.title":              {"登录", "Sign in"},
	"login.username":           {"用户名", "Username"},
	"login.password":           {"密码", "Password"},
	"login.submit":             {"登录", "Sign in"},
	"login.failed":             {"用户名或密码错误。", "Wrong username or password."},
	"overview.title":           {"资产概览", "Portfolio overview"},
	"overview.asof":            {"数据日期", "As of"},
	"overview.loans":           {"贷款笔数", "Loans"},
	"overview.delinquent":      {"逾期笔数", "Delinquent loans"},
	"overview.outstanding":     {"在贷余额", "Outstanding principal"},
	"overview.overdue":         {"逾期金额", "Overdue amount"},
	"overview.bucket":          {"账龄", "Bucket"},
	"overview.chart":           {"各账龄贷款笔数与余额", "Loans and balance by DPD bucket"},
	"overview.norun":           {"尚未运行日终批处理：运行 accord run --as-of 日期。", "The nightly run has not run yet: run accord run --as-of DATE."},
	"borrowers.title":          {"借款人", "Borrowers"},
	"borrowers.search":         {"按姓名、客户号、手机号或手机尾号（后4位）搜索", "Search by name, customer number, phone or its last 4 digits"},
	"borrowers.none":           {"没有符合条件的借款人。", "No borrower matches."},
	"field.name":               {"姓名", "Name"},
	"field.external_id":        {"客户号", "Customer no."},
	"field.national_id":        {"身份证号", "National ID"},
	"field.phones":             {"手机号", "Phones"},
	"field.addresses":          {"地址", "Addresses"},
	"field.timezone":           {"时区", "Time zone"},
	"field.language":           {"语言", "Language"},
	"field.employer":           {"工作单位", "Employer"},
	"field.income":             {"月收入", "Monthly income"},
	"field.flags":              {"标记", "Flags"},
	"field.relationship":       {"关系", "Relationship"},
	"field.phone":              {"电话", "Phone"},
	"field.consent":            {"授权方式与时间", "Consent basis and time"},
	"field.product":            {"产品", "Product"},
	"field.principal":          {"本金", "Principal"},
	"field.rate":               {"年利率", "Annual rate"},
	"field.term":               {"期数", "Term (months)"},
	"field.method":             {"还款方式", "Repayment method"},
	"field.disbursed":          {"放款日", "Disbursed on"},
	"field.status":             {"状态", "Status"},
	"field.dpd":                {"逾期天数", "DPD"},
	"field.bucket":             {"账龄", "Bucket"},
	"field.penalty_rate":       {"罚息日利率", "Penalty rate per day"},
	"field.late_fee":           {"滞纳金/期", "Late fee per installment"},
	"borrower.title":           {"借款人详情", "Borrower"},
	"borrower.contacts":        {"登记联系人", "Registered contacts"},
	"borrower.loans":           {"贷款", "Loans"},
	"borrower.reveal":          {"查看完整信息（将记入审计）", "Reveal (audited)"},
	"loan.title":               {"贷款详情", "Loan"},
	"loan.schedule":            {"还款计划", "Repayment schedule"},
	"loan.payments":            {"还款记录", "Payments"},
	"loan.facts":               {"逾期情况", "Delinquency facts"},
	"loan.record_payment":      {"登记还款", "Record payment"},
	"sched.seq":                {"期次", "No."},
	"sched.due":                {"应还日", "Due date"},
	"sched.principal":          {"本金", "Principal"},
	"sched.interest":           {"利息", "Interest"},
	"sched.total":              {"合计", "Total"},
	"sched.paid":               {"已还", "Paid"},
	"sched.penalty":            {"罚息", "Penalty"},
	"sched.fee":                {"滞纳金", "Late fee"},
	"sched.state":              {"状态", "State"},
	"state.paid":               {"已结清", "Paid"},
	"state.overdue":            {"逾期", "Overdue"},
	"state.due":                {"今日到期", "Due today"},
	"state.upcoming":           {"未到期", "Upcoming"},
	"facts.asof":               {"计算日期", "As of"},
	"facts.dpd":                {"逾期天数", "Days past due"},
	"facts.oldest":             {"最早未还应还日", "Oldest unpaid due date"},
	"facts.outstanding":        {"剩余本金", "Outstanding principal"},
	"facts.overdue_p":          {"逾期本金", "Overdue principal"},
	"facts.overdue_i":          {"逾期利息", "Overdue interest"},
	"facts.penalty":            {"应收罚息", "Penalty due"},
	"facts.fees":               {"应收滞纳金", "Late fees due"},
	"facts.above_cap":          {"超出综合年化成本上限（不催收）", "Above the cost cap (never demanded)"},
	"facts.credit":             {"溢缴款", "Credit"},
	"facts.total":              {"逾期应还合计", "Total overdue"},
	"pay.amount":               {"金额", "Amount"},
	"pay.date":                 {"还款日期", "Paid on"},
	"pay.channel":              {"渠道", "Channel"},
	"pay.external_id":          {"流水号", "Reference"},
	"pay.reversed":             {"已冲正", "Reversed"},
	"pay.reverse":              {"冲正", "Reverse"},
	"pay.reason":               {"冲正原因", "Reversal reason"},
	"pay.none":                 {"暂无还款记录。", "No payments yet."},
	"status.active":            {"正常", "Active"},
	"status.delinquent":        {"逾期", "Delinquent"},
	"status.restructured":      {"已重组", "Restructured"},
	"status.charged_off":       {"已核销", "Charged off"},
	"status.settled":           {"已和解结清", "Settled"},
	"status.paid_off":          {"已结清", "Paid off"},
	"method.equal_installment": {"等额本息", "Equal installment"},
	"method.equal_principal":   {"等额本金", "Equal principal"},
	"method.interest_first":    {"先息后本", "Interest first"},
	"audit.title":              {"审计日志", "Audit log"},
	"audit.at":                 {"时间", "Time"},
	"audit.actor":              {"操作人", "Actor"},
	"audit.action":             {"操作", "Action"},
	"audit.entity":             {"对象", "Entity"},
	"audit.summary":            {"内容", "Summary"},
	"common.prev":              {"上一页", "Previous"},
	"common.next":              {"下一页", "Next"},
	"common.total":             {"共", "Total"},
	"common.save":              {"保存", "Save"},
	"common.none":              {"无", "None"},
	"error.title":              {"出错了", "Something went wrong"},
	"error.back":               {"返回", "Go back"},
	"error.notfound":           {"页面不存在", "Page not found"},
	"error.notfound.hint":      {"您要找的页面或记录不存在，或已被移除。", "The page or record you are looking for does not exist or has been removed."},
	"error.home":               {"回到首页", "Back to the start page"},
}
