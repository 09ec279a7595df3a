package strategy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// MaxExpression is the longest "when" expression accepted, in bytes.
const MaxExpression = 2000

// Compile checks def and compiles it into a Program. Every rule's condition
// is type-checked against Facts and must be a boolean; every treatment and
// template is validated. It returns a *CompileError (an Invalid error)
// listing every problem, each naming the rule by index and name and, for a
// condition, the line and column expr reports. A Program is compiled once
// and then evaluated for every case.
func Compile(def Definition) (*Program, error) {
	var ps []Problem
	if strings.TrimSpace(def.Name) == "" {
		ps = append(ps, Problem{Rule: -1, Field: "name", Message: "the strategy needs a name"})
	}
	p := &Program{def: def, templates: map[string]compiledTemplate{}}
	channels := map[string]Kind{}
	for i, t := range def.Templates {
		prefix := fmt.Sprintf("templates[%d]", i)
		if _, dup := channels[t.ID]; dup {
			ps = append(ps, Problem{Rule: -1, Field: prefix + ".id", Message: fmt.Sprintf("%q is used twice", t.ID)})
		}
		c, tps := compileTemplate(t, prefix)
		ps = append(ps, tps...)
		channels[t.ID] = t.Channel
		p.templates[t.ID] = c
	}
	if len(def.Rules) == 0 {
		ps = append(ps, Problem{Rule: -1, Field: "rules", Message: "the strategy needs at least one rule"})
	}
	names := map[string]int{}
	for i, r := range def.Rules {
		cr, rps := compileRule(i, r, channels)
		if j, dup := names[r.Name]; dup && r.Name != "" {
			rps = append(rps, Problem{Rule: i, RuleName: r.Name, Field: fmt.Sprintf("rules[%d].name", i),
				Message: fmt.Sprintf("the name is already used by rules[%d]", j)})
		}
		names[r.Name] = i
		ps = append(ps, rps...)
		p.rules = append(p.rules, cr)
	}
	if len(ps) > 0 {
		return nil, &CompileError{Problems: ps}
	}
	return p, nil
}

// compileRule compiles rule i, returning its problems.
func compileRule(i int, r Rule, templates map[string]Kind) (rule, []Problem) {
	var ps []Problem
	at := func(field string) Problem {
		return Problem{Rule: i, RuleName: r.Name, Field: fmt.Sprintf("rules[%d]%s", i, field)}
	}
	if strings.TrimSpace(r.Name) == "" {
		p := at(".name")
		p.Message = "every rule needs a name"
		ps = append(ps, p)
	}
	cr := rule{name: r.Name, treatments: r.Treatments, cont: r.Continue}
	switch prog, err := compileWhen(r.When); {
	case err != nil:
		p := at(".when")
		p.Message = err.Error()
		var fe *file.Error
		if errors.As(err, &fe) {
			p.Line, p.Column, p.Message = fe.Line, fe.Column+1, fe.Message
		}
		ps = append(ps, p)
	default:
		cr.prog = prog
	}
	if len(r.Treatments) == 0 {
		p := at(".treatments")
		p.Message = "every rule needs at least one treatment"
		ps = append(ps, p)
	}
	for j, t := range r.Treatments {
		for _, f := range t.validate(templates) {
			p := at(fmt.Sprintf(".treatments[%d].%s", j, f[0]))
			p.Message = f[1]
			ps = append(ps, p)
		}
	}
	return cr, ps
}

// compileWhen compiles one condition against Facts, as a boolean.
func compileWhen(src string) (*vm.Program, error) {
	switch {
	case strings.TrimSpace(src) == "":
		return nil, errors.New(`the condition is empty; write "true" for a rule that always matches`)
	case len(src) > MaxExpression:
		return nil, fmt.Errorf("the condition is %d bytes; the limit is %d", len(src), MaxExpression)
	}
	return expr.Compile(src, expr.Env(Facts{}), expr.AsBool())
}
