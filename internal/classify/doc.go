// Package classify grades delinquent borrowers the way a collections
// department does every morning: by how long (bucket), by how long and how
// much together (risk tier), and by whether they want to and can pay
// (segment). Every grade comes with the reasons behind it, so a collector or
// a supervisor can see why a borrower landed where they did.
//
// Vocabulary:
//   - DPD (逾期天数, days past due) is the number of days since the oldest
//     unpaid due date; 0 means current.
//   - A bucket (账龄) is a DPD range with a name. The default ladder is M0
//     current, M1 1–30 DPD, M2 31–60, M3 61–90, M4 91–120, M5 121–150,
//     M6 151–180 and M7+ beyond 180. "M3+" means M3 or any later bucket.
//     A loan that moves from one bucket to the next rolls forward; the share
//     of balance that does so month over month is the roll rate (迁徙率).
//   - The risk tier (风险等级) is low, medium or high, read from a matrix of
//     DPD band × overdue-amount band: short and small is low, long and large
//     is high.
//   - The segment crosses willingness to pay (还款意愿) with ability to pay
//     (还款能力): willing_able, willing_unable, unwilling_able and
//     unwilling_unable. It is a transparent point score: each signal (payment
//     history, promises, contact responsiveness, installment-to-income ratio,
//     declared hardship) earns or loses points on one axis, and each axis is
//     compared with a threshold. The signals and points are listed as
//     Reasons, in Chinese and English.
//   - A cure (出催) is a borrower whose loans are all current again.
//
// Each segment has a suggested call script (ScriptFor): humane, lawful, never
// a threat. The scripts use the placeholders of strategy templates
// ({{name}}, {{amount}} …).
//
// Everything here is pure: no clock, no I/O. Dates are arguments and money is
// money.Amount (fen).
package classify
