package web

// scoreMessages are the score panel's texts: Chinese, English.
var scoreMessages = map[string][2]string{
	"title":          {"还款可能性评分", "Chance to pay"},
	"chance":         {"30天内结清逾期的概率", "Chance of curing within 30 days"},
	"points":         {"评分卡分数", "Scorecard points"},
	"trend":          {"较上次", "Since the last score"},
	"pts":            {"个百分点", "pts"},
	"reasons":        {"主要原因", "Main reasons"},
	"history":        {"近期评分", "Recent scores"},
	"day":            {"日期", "Date"},
	"arm":            {"模型", "Model"},
	"warnings":       {"预警（近90天）", "Early warnings (90 days)"},
	"none":           {"暂无评分：尚无经批准的模型，或该借款人今晚尚未评分。", "No score yet: no approved model, or the borrower has not been scored tonight."},
	"arm.champion":   {"冠军模型", "Champion"},
	"arm.challenger": {"挑战者模型", "Challenger"},
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
