package web

// scoreMessages are the score panel's texts: Chinese, English.
var scoreMessages = map[string][2]string{
	"title":                   {"还款可能性评分", "Chance to pay"},
	"chance":                  {"30天内结清逾期的概率", "Chance of curing within 30 days"},
	"points":                  {"评分卡分数", "Scorecard points"},
	"trend":                   {"较上次", "Since the last score"},
	"pts":                     {"个百分点", "pts"},
	"reasons":                 {"主要原因", "Main reasons"},
	"history":                 {"近期评分", "Recent scores"},
	"day":                     {"日期", "Date"},
	"arm":                     {"模型", "Model"},
	"warnings":                {"预警（近90天）", "Early warnings (90 days)"},
	"none":                    {"暂无评分：尚无经批准的模型，或该借款人今晚尚未评分。", "No score yet: no approved model, or the borrower has not been scored tonight."},
	"bands.title":             {"评分分段与实际结果", "Score bands against outcomes"},
	"bands.note":              {"30天内结清逾期的预测概率分段；已满30天的评分与实际是否结清对比。", "Predicted chance of curing within 30 days, in bands; scores at least 30 days old against whether the borrower cured."},
	"bands.band":              {"预测概率", "Predicted chance"},
	"bands.scored":            {"评分数", "Scored"},
	"bands.matured":           {"已满30天", "30 days passed"},
	"bands.cured":             {"实际结清", "Cured"},
	"bands.predicted":         {"平均预测", "Mean predicted"},
	"bands.observed":          {"实际结清率", "Observed"},
	"bands.from":              {"评分日期自", "Scored from"},
	"bands.to":                {"至", "to"},
	"bands.show":              {"查看", "Show"},
	"psi.title":               {"模型稳定性（PSI）", "Model stability (PSI)"},
	"psi.note":                {"与训练样本相比的群体稳定指数；超过阈值即告警并记入审计。", "Population stability index against the training rows; above the threshold an alert is raised and audited."},
	"psi.threshold":           {"告警阈值", "Alert threshold"},
	"psi.score":               {"评分", "Score"},
	"psi.model":               {"模型", "Model"},
	"psi.feature":             {"指标", "Measure"},
	"psi.alert":               {"告警", "Alert"},
	"psi.none":                {"尚无使用中的模型。", "No model in use."},
	"warn.title":              {"早期预警效果", "Early warnings and what followed"},
	"warn.note":               {"所选期间发出的预警；已满90天的预警中，借款人在90天内逾期30天以上的比例即准确率。", "Warnings issued in the period; of those 90 days old, the share whose borrower reached 30+ days past due within 90 days is the precision."},
	"warn.signal":             {"预警信号", "Signal"},
	"warn.issued":             {"发出", "Issued"},
	"warn.matured":            {"已满90天", "90 days passed"},
	"warn.delinquent":         {"后续逾期30天以上", "Then 30+ days past due"},
	"warn.precision":          {"准确率", "Precision"},
	"warn.none":               {"所选期间没有预警。", "No warnings in the period."},
	"warn.payment_day_drift":  {"还款日推迟", "Paying later than usual"},
	"warn.shrinking_payments": {"还款金额减少", "Paying less than usual"},
	"warn.channel_change":     {"还款渠道改变", "A new payment channel"},
	"warn.contact_avoidance":  {"回避联系", "Avoiding calls"},
	"warn.failed_auto_debit":  {"代扣失败", "Auto-debit failed"},
	"warn.contact_changed":    {"联系方式变更", "Contact details changed"},
	"warn.plan_payment_late":  {"还款计划逾期", "Plan payment late"},
	"arm.champion":            {"冠军模型", "Champion"},
	"arm.challenger":          {"挑战者模型", "Challenger"},
}

// scoreLabels returns the panel's texts in lang.
func scoreLabels(lang string) map[string]string {
	out := make(map[string]string, len(scoreMessages))
	for k, v := range scoreMessages {
		out[k] = v[0]
		if lang == "en" {
			out[k] = v[1]
		}
	}
	return out
}
