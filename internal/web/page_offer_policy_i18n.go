package web

import "maps"

// policyMessages are the offer policy pages' texts: key → {zh-CN, en}. The
// pages get them as .Data.T in the page's language (policyLabels); lbl
// reads the labels of codes (status.*, level.*, arm.*) from the same map.
var policyMessages = map[string][2]string{
	"title":              {"报价政策", "Offer policies"},
	"versions":           {"政策版本", "Versions"},
	"name":               {"名称", "Name"},
	"version":            {"版本", "Version"},
	"status":             {"状态", "Status"},
	"saved_by":           {"编写人", "Saved by"},
	"saved_at":           {"保存时间", "Saved"},
	"published_by":       {"发布人", "Published by"},
	"none":               {"尚无政策版本，使用内置默认政策。", "No versions yet: the built-in default applies."},
	"new":                {"新建版本", "New version"},
	"new_from":           {"以此为基础新建版本", "New version from this one"},
	"new_from_published": {"以已发布版本为基础新建", "New version from the published one"},
	"editor_hint":        {"JSON 文档格式见 docs/NEGOTIATION.md 第 5 节；未列出的字段取内置默认值，版本号由系统编号。", "The JSON document's format is in docs/NEGOTIATION.md §5; fields left out take the built-in default, and the store numbers the version."},
	"document":           {"政策文档（JSON）", "Policy document (JSON)"},
	"save":               {"保存为草稿", "Save as draft"},
	"refused":            {"未保存，请修改以下字段：", "Not saved; correct these fields:"},
	"limits":             {"额度与参数", "Limits and rates"},
	"setting":            {"项目", "Setting"},
	"value":              {"取值", "Value"},
	"authority":          {"审批权限矩阵", "Authority matrix"},
	"level":              {"审批级别", "Level"},
	"no_limit":           {"不限", "no limit"},
	"absent":             {"（无此级别）", "(no such level)"},
	"diff":               {"与已发布版本的差异", "Changes against the published version"},
	"diff_default":       {"与当前生效的内置政策的差异", "Changes against the built-in policy in force"},
	"diff_none":          {"与已发布版本相同。", "Same as the published version."},
	"from":               {"已发布", "Published"},
	"to":                 {"本版本", "This version"},
	"publish":            {"发布…", "Publish…"},
	"confirm_title":      {"确认发布报价政策", "Confirm publishing the offer policy"},
	"confirm_text":       {"发布后，新生成的方案将使用此版本；已生成的方案仍按其生成时的版本审批。", "Once published, new offers use this version; offers already made are still approved under the version that made them."},
	"confirm":            {"确认发布", "Publish"},
	"cancel":             {"取消", "Cancel"},
	"four_eyes":          {"四眼原则：报价政策版本须由编写人以外、具有策略权限的另一名用户发布。", "Four eyes: an offer policy version must be published by a user with the strategy permission other than the one who wrote it."},
	"saved.draft":        {"已保存为草稿。", "Saved as a draft."},
	"saved.published":    {"已发布。", "Published."},
	"saved.experiment":   {"实验已开始。", "The experiment has started."},
	"saved.team":         {"小组配置已保存。", "The team's settings are saved."},
	"saved.support":      {"帮扶计划消息已保存。", "The support programme's messages are saved."},
	"description":        {"说明", "Description"},
	"show_document":      {"查看 JSON 文档", "Show the JSON document"},
	"back":               {"返回报价政策", "Back to offer policies"},

	"experiments":    {"冠军/挑战者实验", "Champion/challenger experiments"},
	"no_experiments": {"尚无实验。", "No experiments yet."},
	"exp_name":       {"实验名称", "Experiment"},
	"champion":       {"冠军版本", "Champion"},
	"challenger":     {"挑战者版本", "Challenger"},
	"share":          {"挑战者比例（%）", "Challenger share (%)"},
	"started":        {"开始日期", "Started"},
	"stopped":        {"结束日期", "Stopped"},
	"start":          {"开始实验", "Start experiment"},
	"stop":           {"停止实验", "Stop"},
	"results":        {"结果", "Results"},
	"start_hint":     {"冠军为已发布版本；借款人按稳定哈希分组。", "The champion is the published version; borrowers are split by a stable hash."},
	"arm":            {"组别", "Arm"},
	"offers":         {"方案数", "Offers"},
	"cases":          {"案件数", "Cases offered"},
	"accepted":       {"已接受", "Accepted"},
	"plans":          {"还款计划", "Plans"},
	"kept":           {"已履约", "Kept"},
	"broken":         {"已违约", "Broken"},
	"recovered":      {"计划回收金额", "Recovered through plans"},
	"acceptance":     {"接受率（95% 区间）", "Acceptance (95% interval)"},
	"kept_rate":      {"履约率（95% 区间）", "Kept rate (95% interval)"},
	"p_value":        {"差异显著性 p 值", "p-value of the difference"},
	"exp_limits":     {"只统计由本实验分组选定政策的方案：固定使用某一版本或不参与实验的小组的方案，以及实验开始前生成的方案，均不计入。", "Only offers whose policy this experiment's split chose count: offers of teams pinned to a version or kept out of experiments, and offers made before the start, do not."},

	"teams":            {"小组配置", "Teams"},
	"team":             {"小组", "Team"},
	"team_policy":      {"使用的报价政策", "Offer policy"},
	"follow_published": {"跟随已发布版本", "The published version"},
	"in_experiment":    {"参与实验", "In experiments"},
	"budget_share":     {"月度重组预算比例（%）", "Monthly budget share (%)"},
	"default_share":    {"留空为默认", "empty: the default"},
	"outstanding":      {"在催余额", "Outstanding"},
	"budget":           {"本月预算", "Budget this month"},
	"used":             {"已使用", "Used"},
	"left":             {"剩余", "Left"},
	"note":             {"备注", "Note"},
	"config_version":   {"配置版本", "Settings version"},
	"save_team":        {"保存新配置", "Save new settings"},
	"default":          {"默认", "default"},
	"yes":              {"是", "yes"},
	"no":               {"否", "no"},
	"support":          {"帮扶计划消息", "Support programme messages"},

	"status.draft":     {"草稿", "Draft"},
	"status.published": {"已发布", "Published"},
	"status.retired":   {"已停用", "Retired"},
	"status.active":    {"进行中", "Running"},
	"status.stopped":   {"已停止", "Stopped"},
	"level.collector":  {"催收员", "Collector"},
	"level.supervisor": {"主管", "Supervisor"},
	"level.manager":    {"经理", "Manager"},
	"arm.champion":     {"冠军", "Champion"},
	"arm.challenger":   {"挑战者", "Challenger"},
}

// policyLabels returns the offer policy pages' texts in lang.
func policyLabels(lang string) map[string]string {
	out := make(map[string]string, len(policyMessages))
	for k, v := range policyMessages {
		out[k] = v[0]
		if lang == "en" && v[1] != "" {
			out[k] = v[1]
		}
	}
	return out
}

// treatmentMessages label the strategies' treatment kinds
// (strategy.Kinds) for the strategy pages' preview (trs "treatment");
// they join caseworkMessages.
var treatmentMessages = map[string][2]string{
	"treatment.sms":               {"短信", "SMS"},
	"treatment.email":             {"邮件", "Email"},
	"treatment.call":              {"电话催收", "Call"},
	"treatment.negotiation_offer": {"二次协商", "Negotiation offer"},
	"treatment.field_visit":       {"外访", "Field visit"},
	"treatment.agency_placement":  {"委外", "Agency placement"},
	"treatment.legal_referral":    {"司法", "Legal referral"},
}

func init() { maps.Copy(caseworkMessages, treatmentMessages) }
