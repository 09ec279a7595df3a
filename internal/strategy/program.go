package strategy

import (
	"fmt"
	"sync"

	"github.com/expr-lang/expr/vm"

	"accord/internal/errs"
)

// Program is a compiled strategy definition. It is safe for concurrent use.
type Program struct {
	def       Definition
	rules     []rule
	templates map[string]compiledTemplate
	vms       sync.Pool // of *vm.VM: reusing a VM's stack saves allocations per rule
}

type rule struct {
	name       string
	prog       *vm.Program
	treatments []Treatment
	cont       bool
}

// Definition returns the definition p was compiled from.
func (p *Program) Definition() Definition { return p.def }

// Result is what a strategy decided for one case. RuleIndex and RuleName are
// the rule that ended evaluation (the last that matched); Matched lists
// every rule that matched, in order, including those marked continue.
// Treatments are the treatments of all matched rules in rule order; they
// share memory with the Program and must not be modified. Errors holds rules
// that failed at run time (they count as not matching).
type Result struct {
	RuleIndex  int         `json:"rule_index"`
	RuleName   string      `json:"rule_name"`
	Matched    []int       `json:"matched"`
	Treatments []Treatment `json:"treatments"`
	Errors     []Problem   `json:"errors,omitempty"`
}

// Evaluate tries p's rules against f in order and reports the treatments of
// the first matching rule, plus those of earlier matching rules marked
// continue. ok is false when no rule matched.
func (p *Program) Evaluate(f Facts) (res Result, ok bool) {
	res.RuleIndex = -1
	m, _ := p.vms.Get().(*vm.VM)
	if m == nil {
		m = &vm.VM{}
	}
	defer p.vms.Put(m)
	for i := range p.rules {
		r := &p.rules[i]
		out, err := m.Run(r.prog, &f)
		if err != nil {
			res.Errors = append(res.Errors, Problem{Rule: i, RuleName: r.name, Field: fmt.Sprintf("rules[%d].when", i), Message: err.Error()})
			continue
		}
		if out != true {
			continue
		}
		res.RuleIndex, res.RuleName = i, r.name
		res.Matched = append(res.Matched, i)
		if res.Treatments == nil {
			res.Treatments = r.treatments
		} else {
			res.Treatments = append(res.Treatments[:len(res.Treatments):len(res.Treatments)], r.treatments...)
		}
		if !r.cont {
			break
		}
	}
	return res, res.RuleIndex >= 0
}

// Render renders the template id in lang (English for "en…", Chinese
// otherwise). It returns a NotFound error for an unknown template and an
// Invalid error when v lacks a placeholder's value.
func (p *Program) Render(id, lang string, v Vars) (Message, error) {
	c, ok := p.templates[id]
	if !ok {
		return Message{}, errs.Errorf(errs.NotFound, "Template %q is not in this strategy.", id)
	}
	return c.render(lang, v)
}
