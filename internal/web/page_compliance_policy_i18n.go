package web

import "maps"

// compliancePolicyMessages label the fields of the policy page
// (/compliance/policy): policy_field.<form field> for each limit and
// setting, whose raw name stays only as the hover hint (title) of its label.
// They join complianceMessages.
var compliancePolicyMessages = map[string][2]string{
	"policy_field.quiet_start":                       {"禁止联系时段开始", "Quiet hours start"},
	"policy_field.quiet_end":                         {"禁止联系时段结束", "Quiet hours end"},
	"policy_field.max_connected_calls_per_day":       {"每日最多接通通话次数", "Connected calls per day (max)"},
	"policy_field.max_unanswered_per_number_per_day": {"每个号码每日最多未接通次数", "Unanswered calls per number per day (max)"},
	"policy_field.max_calls_per_7_days":              {"任意连续 7 日内最多通话次数", "Calls in any 7 days (max)"},
	"policy_field.lost_contact_attempts":             {"判定失联前的联系尝试次数", "Attempts before lost contact"},
	"policy_field.visit_notice_hours":                {"外访提前通知（小时）", "Visit notice (hours)"},
	"policy_field.uk_visit_notice_days":              {"英国首次上门提前通知（天）", "UK first visit notice (days)"},
	"policy_field.no_holiday_contact":                {"节假日不联系", "No contact on holidays"},
	"policy_field.holiday_action":                    {"节假日联系的处理", "Holiday contact action"},
	"policy_field.visit_advance_notice":              {"外访须提前通知", "Visits need advance notice"},
	"policy.rule_title":                              {"规则内容", "Rule"},
}

func init() { maps.Copy(complianceMessages, compliancePolicyMessages) }
