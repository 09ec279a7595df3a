// Package calendar is the Chinese statutory holiday calendar (法定节假日) as
// data: which dates are public holidays and which weekend dates are adjusted
// working days (调休上班日), from the State Council General Office's yearly
// notice (国务院办公厅关于部分节假日安排的通知, published each November).
//
// Vocabulary:
//   - A holiday (放假) is every day of a holiday period as the notice lists
//     it, weekends inside the period included: 2026-02-15 to 2026-02-23 is
//     the nine-day Spring Festival (春节) break.
//   - An adjusted working day (调休上班日) is a Saturday or Sunday that the
//     notice makes a working day to lengthen a break: 2026-02-14 and
//     2026-02-28 are working Saturdays. It is a working day for every rule,
//     even though it is a weekend date.
//   - Every other date is a working day (Monday–Friday) or a weekend day.
//
// Only holidays and adjusted working days are stored; weekends follow from
// the date. A Calendar is built from rows (Entry) so that admins can edit it
// through the store: Validate names every bad row and field, Parse builds the
// Calendar, Load reads the CSV form and Default returns the embedded data for
// 2025 and 2026 (data/cn.csv, COMPLIANCE.md R16 and §1.6). A Calendar knows
// which years it covers, so a caller can tell "not a holiday" from "no data
// for that year".
//
// The compliance governor reads the kind of a borrower's local date from
// here for the no-holiday-contact policy (CN-HOLIDAY).
package calendar
