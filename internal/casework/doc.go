// Package casework is how delinquent borrowers become work: a case (案件) per
// borrower gathering all their delinquent loans, its life from opening to
// closing, who works it (a collector or an outside agency) and in what order
// a collector's queue is worked.
//
// Vocabulary:
//   - A case opens when any of the borrower's loans passes the DPD threshold
//     (default 1 day past due) and gathers every delinquent loan the borrower
//     has, including loans that fall behind later. It closes as cured (出催,
//     all loans current again), settled (结清 by agreement) or charged off
//     (核销). A closed case never reopens: a new delinquency opens a new case,
//     and the old one keeps its history. The history is a list of Events,
//     values appended as things happen.
//   - Assignment (分案) gives each case an owner. Continuity first: a case
//     stays with its collector while they are active, still match it, and
//     are making progress. 养案 (sitting on a case) is a collector holding a
//     case without progress; after a configurable number of days without
//     progress the case rotates to someone else. New and moved cases go to
//     the least loaded eligible collector (skills: languages, regions,
//     buckets, queues; capacity). Cases the strategy places with an outside
//     agency (委外) go to a whitelisted agency with capacity and an acceptable
//     commission, and are recalled on their recall date. Every assignment
//     carries a reason code and a sentence in Chinese and English.
//   - The work queue is ordered by the expected value of working a case today:
//     balance × the chance that contact changes the outcome, built from
//     transparent factors (bucket, segment, promises, days since contact,
//     recent payments), each listed with its multiplier.
//   - Roll rate (迁徙率) is the share of cases or balance moving to a later
//     bucket; cure rate is the share that become current again. Both are
//     what a collector's work is judged by.
//
// Everything here is pure: no clock, no I/O. asOf is an argument and money is
// money.Amount (fen).
package casework
