// Package visit holds the rules of field visits (上门催收 / 外访): two
// collectors (a pair) going to a borrower's address.
//
// A visit moves through states: requested (by a collector, or recommended
// by the strategy) → approved or rejected by a supervisor → noticed (the
// borrower was told in advance) → planned (on a pair's route for a day) →
// checked_in (the pair is at the door) → done, with an outcome. It may be
// cancelled at any step before done; a planned visit taken off a route goes
// back to approved, because its notice named a time that no longer holds.
//
// Visit carries one visit through these states; its methods (Request,
// Approve, Reject, Notice, Plan, Unplan, CheckInNow, Finish, Cancel) apply
// the rules of each step and change the visit only when they pass. The
// rules are also exported on their own, for screens that show them ahead:
//   - eligibility: who may be visited at all (Eligible);
//   - the expected value and cost of a visit, for the supervisor's list
//     (Estimate);
//   - advance notice: at least 24 hours before, on by default (NoticeBy,
//     CheckNotice);
//   - scheduling: the window on a date in which the visit may start
//     (Schedule, FirstSlot);
//   - check-in: how far from the address the pair checked in (CheckIn);
//   - outcomes and what each must carry (Outcome.Validate).
//
// The hours, the notice and the holiday policy are the contact governor's
// (internal/compliance, rule CN-VISIT and CN-HOLIDAY, China profile), read
// through compliance.Policy.Limits so that a tenant's stricter settings
// apply here exactly as they do when the governor checks the visit. The
// governor still checks every visit before it happens; these rules keep the
// workflow from proposing one it would refuse.
//
// Everything here is pure: dates and instants are arguments.
package visit
