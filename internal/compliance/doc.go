// Package compliance is the contact governor: one pure decision, Check,
// that every path runs before a borrower is contacted (the nightly run, the
// console, the API, the CLI and the sender at send time). Given the
// jurisdiction profile, the tenant's policy, the borrower's facts, the
// contact history and the proposed contact, it answers allow, warn,
// approval or block, with the id of every rule that fired, the counts and
// window bounds it used, and the reasons in Chinese and English.
//
// Vocabulary:
//   - A profile (Jurisdiction) is a rule set: CN (default; CBA 2026, NIFA
//     2024, GB/T 45251-2025), US (Regulation F, FDCPA) or UK (FCA CONC 7).
//     Each rule cites its source in COMPLIANCE.md (R01 …) next to the check
//     and in Rules, the catalogue for the "policy in force" page.
//   - The actions: block (refused), approval (allowed once the named role
//     approves: Proposed.ApprovedRoles), warn (allowed, flagged for QA) and
//     allow. The most severe rule that fires decides.
//   - Local time is the borrower's: every candidate IANA zone is checked
//     and the contact must be lawful in all of them (R19). Daily caps count
//     the borrower's local calendar day (00:00 to 00:00, DST-aware);
//     rolling windows count whole local days.
//   - 接通 (connected) is a call the person answered; any other call
//     outcome is 未接通 (unanswered). A conversation (US) is a connected
//     call, whoever placed it; a voicemail or limited-content message is not.
//   - 失联 (lost contact): the borrower is flagged so, all their numbers are
//     invalid, or the last N calls (default 3) failed with no successful
//     contact since. Only then may a registered contact (登记联系人) be
//     asked where the borrower is (R05).
//   - A debt-related third party (债务相关第三人) is a contact with a
//     recorded legal determination (flag debt_related_approved), such as a
//     spouse where the debt funded the household (R06).
//   - A consent is a structured, recorded agreement of the borrower (R17):
//     a wider contact window, more attempts per number, or (US) calls
//     excluded from 7-in-7 for up to 7 days. Expired or revoked consents
//     are ignored; one that cannot be read fails closed.
//   - Tenant policy (Policy) may tighten any limit and never loosen one;
//     the two lender-only switches, no_holiday_contact and
//     visit_advance_notice, are on by default and may be turned off.
//   - FAIL-CLOSED (X4): a missing or unknown time zone, a missing borrower
//     id, an address that is not the borrower's, or an unreadable consent
//     blocks the contact; nothing else is evaluated.
//   - Vulnerable borrowers (serious illness, bereavement, mental health,
//     disability, old age, job loss) are kept out of automated contact and
//     routed to the specialist queue in every profile (R48).
//
// Content screening (Lexicon) normalises the outbound text (full-width
// forms, traditional characters, spacing and punctuation, look-alike
// digits), segments it (dictionary maximum matching over data/words.txt and
// the pattern terms) and applies phrase patterns (data/patterns.txt): an
// action and a target within a window, negation scoped to the clause,
// hedges and harmless contexts, so that "通知你单位领导" and "we will call
// your employer" are threats, "我们不会联系您的家人", "杀毒软件" and "we may
// consider legal action" are not. See docs/GOVERNOR.md.
//
// Nothing here reads a clock, a database or the network: the proposed time
// is part of the input, holidays come from a calendar.Calendar and time
// zones from the embedded tz database through a cache (Zones).
// ParseScenario reads the stateless JSON form described in docs/GOVERNOR.md.
package compliance
