// Package strategy decides what to do about each case: strategies are
// versioned data that supervisors edit, made of ordered rules whose
// conditions are expressions over case facts and whose outcomes are
// treatments (SMS or email from a template, a call task in a queue, a
// negotiation offer, a field-visit recommendation, placement with an outside
// agency, legal referral).
//
// Vocabulary:
//   - A strategy (催收策略) is one Definition; each saved edit is a new
//     version, and the running version never changes under a case. The JSON
//     format is described in docs/STRATEGY.md.
//   - A rule matches when its "when" expression (github.com/expr-lang/expr,
//     e.g. `bucket_rank >= 3 && tier == "high"`) is true for the case's
//     Facts. Rules are tried in order and the first match decides; a rule
//     marked continue adds its treatments and lets later rules decide.
//   - Compile type-checks every expression against Facts when a version is
//     saved, so a bad definition is refused with the rule's index and name
//     and the expression's line and column, and the running version stays.
//   - Preview runs a compiled version over today's cases and counts the hits
//     per rule before the version is published.
//   - Champion/challenger (冠军/挑战者): an Experiment runs a challenger
//     version on a fixed share of borrowers, chosen by a stable hash of the
//     borrower and experiment ids, while the champion handles the rest.
//     Compare reports per arm the cure rate (出催率: cases whose loans are all
//     current again), the roll-forward rate (滚动率: cases that moved to a
//     later bucket), amounts recovered, contacts and cost, with confidence
//     intervals and p-values, so a challenger is promoted on evidence.
//   - Templates are message texts with placeholders ({{name}}, {{amount}} …)
//     checked when saved and filled by plain substitution when sent.
//
// Everything here is pure: no clock, no I/O.
package strategy
