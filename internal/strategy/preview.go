package strategy

// RuleHits is how many cases a rule matched in a preview. Decided counts the
// cases where it was the rule that ended evaluation; for a rule without
// continue, Matched and Decided are equal. Errors counts cases where the rule
// failed at run time.
type RuleHits struct {
	Index   int    `json:"index"`
	Name    string `json:"name"`
	Matched int    `json:"matched"`
	Decided int    `json:"decided"`
	Errors  int    `json:"errors"`
}

// PreviewResult is what a strategy would do to a set of cases today: hits per
// rule in rule order, the cases no rule matched, and how many treatments of
// each kind would be created.
type PreviewResult struct {
	Total       int          `json:"total"`
	Rules       []RuleHits   `json:"rules"`
	Unmatched   int          `json:"unmatched"`
	ByTreatment map[Kind]int `json:"by_treatment"`
}

// Preview evaluates p against every case in cases without acting on any, so
// a supervisor can see a version's effect before publishing it.
func Preview(p *Program, cases []Facts) PreviewResult {
	pr := PreviewResult{Total: len(cases), Rules: make([]RuleHits, len(p.rules)), ByTreatment: map[Kind]int{}}
	for i, r := range p.rules {
		pr.Rules[i] = RuleHits{Index: i, Name: r.name}
	}
	for _, f := range cases {
		res, ok := p.Evaluate(f)
		for _, e := range res.Errors {
			pr.Rules[e.Rule].Errors++
		}
		if !ok {
			pr.Unmatched++
			continue
		}
		for _, i := range res.Matched {
			pr.Rules[i].Matched++
		}
		pr.Rules[res.RuleIndex].Decided++
		for _, t := range res.Treatments {
			pr.ByTreatment[t.Kind]++
		}
	}
	return pr
}
