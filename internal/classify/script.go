package classify

// Script is the opening a collector is shown for a segment: a short,
// humane and lawful text in Chinese and English, with strategy template
// placeholders ({{name}}, {{amount}}, {{dpd}}, {{lender}}, {{hotline}},
// {{collector}}). It never threatens, never mentions third parties and
// states consequences only as facts (credit reporting, lawful proceedings).
type Script struct {
	Segment Segment `json:"segment"`
	Goal    string  `json:"goal"` // what the call is for, for the collector
	ZH      string  `json:"zh"`
	EN      string  `json:"en"`
}

var scripts = map[Segment]Script{
	WillingAble: {
		Segment: WillingAble,
		Goal:    "Remind and agree a payment date (PTP).",
		ZH:      "{{name}}您好，我是{{lender}}的{{collector}}。您的借款已逾期{{dpd}}天，应还{{amount}}元，可能是一时疏忽。请问今天方便通过官方App或对公账户还款吗？我们可以约定一个具体的还款日期。",
		EN:      "Hello {{name}}, this is {{collector}} from {{lender}}. Your loan is {{dpd}} days overdue with {{amount}} yuan due; it may simply have slipped your mind. Could you pay today through the official app or our company account? We can agree a specific date together.",
	},
	WillingUnable: {
		Segment: WillingUnable,
		Goal:    "Understand the difficulty and discuss a repayment plan (二次协商).",
		ZH:      "{{name}}您好，我是{{lender}}的{{collector}}。了解到您近期可能遇到了困难，我们愿意和您一起看看可行的方案，比如分期或延期还款。方便说说您目前每月大概能还多少吗？",
		EN:      "Hello {{name}}, this is {{collector}} from {{lender}}. We understand you may be going through a difficult time, and we would like to find a workable plan with you, such as paying in installments or over a longer term. Could you tell us roughly how much you could manage each month?",
	},
	UnwillingAble: {
		Segment: UnwillingAble,
		Goal:    "Firm, factual reminder of the obligation and its lawful consequences.",
		ZH:      "{{name}}您好，我是{{lender}}的{{collector}}。您的借款已逾期{{dpd}}天，应还{{amount}}元。按照借款合同，逾期记录会如实报送征信系统，持续逾期我司可能依法通过诉讼解决。请您今天通过官方渠道还款，如有异议可致电{{hotline}}。",
		EN:      "Hello {{name}}, this is {{collector}} from {{lender}}. Your loan is {{dpd}} days overdue with {{amount}} yuan due. Under your loan contract, late payments are reported accurately to the credit reference system, and continued non-payment may lead us to seek a lawful court resolution. Please pay today through the official channels; if you dispute the debt, call {{hotline}}.",
	},
	UnwillingUnable: {
		Segment: UnwillingUnable,
		Goal:    "Keep contact, confirm the situation, offer a small first step.",
		ZH:      "{{name}}您好，我是{{lender}}的{{collector}}。您的借款已逾期{{dpd}}天，应还{{amount}}元。我们希望了解您目前的情况，即使暂时无法全额还款，也可以先商量一个小额的还款安排，避免逾期继续扩大。",
		EN:      "Hello {{name}}, this is {{collector}} from {{lender}}. Your loan is {{dpd}} days overdue with {{amount}} yuan due. We would like to understand your situation; even if you cannot pay in full now, we can agree a small first payment so the arrears do not keep growing.",
	},
}

// ScriptFor returns the suggested call script for seg, or the willing_able
// script for an unknown segment.
func ScriptFor(seg Segment) Script {
	if s, ok := scripts[seg]; ok {
		return s
	}
	return scripts[WillingAble]
}
