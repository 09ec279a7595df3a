// Package offer is the second-negotiation (二次协商) offer engine: given what
// a delinquent borrower owes (Debt), what they can afford (Assessment), their
// segment and history, and the lender's offer Policy, Options proposes
// several repayment offers tailored to the case, never one fixed plan for
// everyone, each priced for the lender and checked against the policy and
// the authority matrix.
//
// Vocabulary:
//   - Affordability assessment (还款能力评估): income, essential expenses
//     (defaults by household size and city tier that the negotiator can
//     override), other debt payments, liquid assets, the hardship (困难原因)
//     and its expected duration. Assess turns it into disposable income,
//     debt-service ratio (债务收入比) and the sustainable monthly payment,
//     with the arithmetic shown step by step in Chinese and English.
//   - Offer kinds: term extension (展期, with an interest freeze 停息挂账 when
//     nothing at the contract rate fits), graduated payments (阶梯还款),
//     temporary relief (临时减免/只还利息 during the hardship months), rate cut
//     (降息), waiver (减免) of penalty interest (罚息) and late fees (滞纳金),
//     immediate or conditional on N consecutive on-time plan payments, and
//     settlement (一次性结清 or 分期结清) closing the debt at a discount.
//   - Every offer carries its schedule, total payable, waived amounts by
//     component, its own annual rate (internal rate of return on the amount
//     financed, actual/365), NPV to the lender at the policy's discount rate,
//     the chance it is kept (p_kept, from a pluggable KeepModel), expected
//     recovery = NPV × p_kept, affordability, the policy limits it uses and
//     the approval level (collector, supervisor, manager) it needs.
//   - Policy is versioned data like a strategy: name and version identify it,
//     so a champion/challenger experiment can run two policies.
//
// Amounts are money.Amount (fen). Rates are decimals; the discount factors
// (1+r)^(−days/365) use float64 math.Pow and every money result is rounded
// half-up to the fen once, at a defined point. docs/NEGOTIATION.md describes
// the conventions, the p_kept model, the policy format and the CLI.
//
// Everything here is pure: the as-of date is an argument; no clock, no I/O.
package offer
