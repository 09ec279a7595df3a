// Package ledger is the loan book: products, loans, their repayment schedules
// (还款计划), payments and how each payment is allocated, and the delinquency
// facts of a loan as of any date.
//
// Vocabulary:
//
//   - An installment (期) is one scheduled repayment: a due date, a principal
//     part and an interest part.
//
//   - equal_installment (等额本息) keeps every payment the same; equal_principal
//     (等额本金) repays the same principal every month; interest_first (先息后本)
//     charges interest monthly and the whole principal at the end.
//
//   - Penalty interest (罚息) accrues daily on overdue principal; a late fee
//     (滞纳金) is charged once per missed installment.
//
//   - DPD (逾期天数, days past due) counts the days since the oldest unpaid due
//     date.
//
//   - The annualised comprehensive cost (综合年化成本) of a loan is its
//     interest, fees and penalties as a yearly rate; the part of penalties and
//     fees above the cap (default 24%) is tracked but never demanded.
//
//   - Demandable (可催收) amounts are what a collector may ask for: overdue
//     principal and interest, and penalty and fees within the cost cap.
//
//   - Credit (溢缴款) is an overpayment held on the loan; it pays installments
//     on their due dates. Payments never prepay principal that is not due.
//
// Schedule computes a schedule from a loan's terms; Replay walks a loan's
// schedule and payments day by day (in stretches, not a loop over days) to
// its Position as of a date, with the Allocation of every payment installment
// by installment; StatusFor turns a position into a loan Status.
//
// Everything here is pure: functions take the as-of date as an argument and
// never read a clock or a database. Money is money.Amount (fen), rates are
// decimals, and every amount is rounded half-up to the fen.
package ledger
