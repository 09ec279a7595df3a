package web

import "strings"

// contactMessages are the contact flow's own texts: key → {zh-CN, en}. The
// panel gets them as .Data.T in the page's language (labels of codes —
// channels, outcomes, decisions, results — come from the console's
// catalogs through trs).
var contactMessages = map[string][2]string{
	"flow":                 {"联系借款人", "Contact the borrower"},
	"step1":                {"① 选择号码与渠道：每一项先经合规判定", "1. Choose a number and a channel: the contact governor decides first"},
	"choose":               {"选择", "Choose"},
	"chosen":               {"已选择", "Chosen"},
	"step2":                {"② 合规判定", "2. The governor's decision"},
	"step3":                {"③ 记录本次联系", "3. Record the contact"},
	"step3msg":             {"③ 发送消息", "3. Send a message"},
	"allowed":              {"允许联系。", "You may make this contact."},
	"blocked":              {"不允许联系：", "You may not make this contact:"},
	"approval":             {"须先经审批才能联系：", "This contact needs approval first:"},
	"warn":                 {"可以联系，但请注意：", "Allowed, with a warning:"},
	"refused":              {"合规检查拒绝了本次联系，除拒绝记录外未保存任何内容。", "The contact governor refused the contact; nothing but the refusal was recorded."},
	"needs_approval":       {"本次联系须先经审批，已提交审批申请；未保存任何联系结果。", "The contact needs approval first; an approval request was made and nothing else was recorded."},
	"invalid":              {"未保存，请更正：", "Not saved; please correct:"},
	"closed":               {"案件已结案，不能再在案件上记录联系。", "The case is closed; contacts are no longer recorded on it."},
	"outcome":              {"联系结果", "Outcome"},
	"results":              {"其他情况", "Also"},
	"note":                 {"备注", "Note"},
	"hardship":             {"申报困难", "Declared hardship"},
	"promise":              {"承诺还款（借款人承诺时填写）", "Promise to pay (when the borrower promises)"},
	"promise_amount":       {"承诺金额（元）", "Amount (yuan)"},
	"promise_due":          {"承诺还款日期", "Promised date"},
	"promise_channel":      {"承诺渠道", "Taken on"},
	"recording":            {"录音编号", "Recording reference"},
	"save":                 {"保存联系记录", "Save the contact"},
	"together":             {"结果、备注与承诺一并保存：任何一项不符合规定，全部不保存。", "The outcome, the note and the promise are saved together: if any part is not valid, nothing is saved."},
	"again":                {"重新选择", "Choose another"},
	"none":                 {"请在上表中选择号码与渠道。", "Choose a number and a channel in the table above."},
	"saved":                {"联系记录已保存。", "The contact was saved."},
	"body":                 {"消息内容", "Message"},
	"send":                 {"发送", "Send"},
	"field.outcome":        {"联系结果", "outcome"},
	"field.promise_amount": {"承诺金额", "promise amount"},
	"field.promise_due":    {"承诺还款日期", "promise date"},
	"field.note":           {"备注", "note"},
	"field.notes":          {"备注", "notes"},
	"field.hardship":       {"申报困难", "hardship"},
	"field.results":        {"其他情况", "results"},
	"field.to":             {"号码/地址", "number or address"},
	"field.contact_id":     {"联系人", "contact"},
	"field.channel":        {"渠道", "channel"},
	"field.body":           {"消息内容", "message"},
	"field.subject":        {"主题", "subject"},
	"field.started_at":     {"联系时间", "time"},
}

// contactLabels returns the contact flow's texts in lang.
func contactLabels(lang string) map[string]string {
	out := make(map[string]string, len(contactMessages))
	for k, v := range contactMessages {
		if lang == "en" {
			out[k] = v[1]
		} else {
			out[k] = v[0]
		}
	}
	return out
}

// conditionLabels name the conditions a governor rule found unmet
// (compliance.Detail.Failed), whose codes the rule's own text lists.
var conditionLabels = map[string][2]string{
	"borrower_id_missing":           {"缺少借款人", "borrower missing"},
	"proposed_at_missing":           {"缺少联系时间", "time missing"},
	"by_missing":                    {"缺少联系方", "contacting party missing"},
	"opted_out":                     {"借款人已退订", "the borrower opted out"},
	"time_zone_missing":             {"缺少借款人时区", "the borrower's time zone is missing"},
	"optout_instruction_missing":    {"缺少退订说明", "opt-out instruction missing"},
	"calendar_missing_year":         {"缺少该年度节假日数据", "no holiday calendar for the year"},
	"not_registered_contact":        {"非登记联系人", "not a registered contact"},
	"borrower_not_lost_contact":     {"借款人未失联", "the borrower is not in lost contact"},
	"purpose_not_locate_or_message": {"目的不是询问下落或请其转告", "the purpose is not to locate or pass a message"},
	"public_channel":                {"公开渠道", "a public channel"},
	"employer":                      {"借款人单位", "the employer"},
	"debt_facts_to_third_party":     {"向第三人透露债务", "debt facts told to a third party"},
	"collectors_fewer_than_2":       {"外访人员少于两名", "fewer than two collectors"},
	"recording_device_missing":      {"缺少录音录像设备", "no recording device"},
	"start_outside_allowed_hours":   {"不在允许时段", "outside the allowed hours"},
	"borrower_lost_contact":         {"借款人已失联", "the borrower is in lost contact"},
	"notice_missing":                {"未提前通知", "no advance notice"},
	"notice_too_late":               {"通知过晚", "notice too late"},
	"agency_missing":                {"缺少委外机构", "agency missing"},
	"purpose_missing":               {"缺少联系目的", "purpose missing"},
	"agency_not_whitelisted":        {"机构不在白名单", "agency not whitelisted"},
	"borrower_not_notified":         {"未告知借款人", "the borrower was not told"},
	"agent_training_missing":        {"催收员未受训", "agent not trained"},
	"agent_training_expired":        {"催收员培训已过期", "agent training expired"},
	"not_location_request":          {"不是询问下落", "not a location request"},
	"repeat_location_contact":       {"重复询问下落", "repeated location contact"},
	"legal_case_missing":            {"缺少法律案件编号", "legal case reference missing"},
	"automated":                     {"自动化联系", "automated contact"},
}

// conditionsIn replaces the condition codes a rule's text ends with by
// their names in lang.
func conditionsIn(lang, text string, failed []string) string {
	if len(failed) == 0 {
		return text
	}
	names := make([]string, len(failed))
	for i, f := range failed {
		names[i] = f
		if l, ok := conditionLabels[f]; ok {
			names[i] = l[0]
			if lang == "en" {
				names[i] = l[1]
			}
		}
	}
	sep := "、"
	if lang == "en" {
		sep = ", "
	}
	if joined := strings.Join(failed, ", "); strings.Contains(text, joined) {
		return strings.Replace(text, joined, strings.Join(names, sep), 1)
	}
	for i, f := range failed {
		text = strings.ReplaceAll(text, f, names[i])
	}
	return text
}
