package web

// disputeMessages are the dispute outcome form's texts: key → {zh-CN, en}.
var disputeMessages = map[string][2]string{
	"title":        {"记录异议核实结果", "Record dispute outcome"},
	"explain":      {"借款人对债务提出异议，催收已暂停。核实后在此记录结果，记录后恢复催收；若借款人再次提出异议，将再次暂停。", "The borrower disputes the debt and collection is suspended. Record the outcome of the investigation here to lift the suspension; a new dispute suspends it again."},
	"outcome":      {"核实结果", "Outcome"},
	"upheld":       {"异议成立（借款人所述属实）", "Upheld (the borrower was right)"},
	"rejected":     {"异议不成立（债务如记录）", "Rejected (the debt stands as recorded)"},
	"corrected":    {"记录有误，已更正", "Corrected (the record was wrong and was fixed)"},
	"note":         {"核实说明", "What the investigation found"},
	"save":         {"记录结果", "Record the outcome"},
	"upheld_scope": {"异议成立时是否核销或结清债务需另行处理，本操作不处理。", "Whether an upheld dispute also writes off or closes the debt is decided separately; this does not do it."},
}

// disputeLabels returns the dispute form's texts in lang.
func disputeLabels(lang string) map[string]string {
	out := make(map[string]string, len(disputeMessages))
	for k, v := range disputeMessages {
		out[k] = v[0]
		if lang == "en" {
			out[k] = v[1]
		}
	}
	return out
}
