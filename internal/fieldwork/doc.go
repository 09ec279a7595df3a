// Package fieldwork holds the use cases of field visits (上门催收, issue 8)
// over the store: requests (by a collector with a purpose, or recommended
// by the strategy through its field_visit treatment), a supervisor's
// approval singly or in bulk with each visit's expected value and cost,
// advance notice to the borrower through the contact governor and the
// outbox, the day plans of every field pair (package route), check-in from
// a phone, outcomes with their evidence (promises and negotiation rounds
// through package negotiation), the preparation pack, incidents and the
// report per pair and region; and the nightly step that turns the
// strategy's recommendations into requests and sends the notices due.
//
// The rules are package visit's (states, eligibility, economics, notice,
// scheduling, check-in distance, outcomes) and the governor's CN-VISIT rule,
// which is asked at planning and again at check-in: two collectors, a
// recording device bound to the visit, the allowed hours and the notice.
// A refusal carries the governor's reasons.
//
// Who may do what:
//   - visit:request (collectors, negotiators, supervisors): ask for a
//     visit on a case they may work;
//   - visit:approve (supervisors): approve or reject, cancel, manage pairs,
//     plan days, read the report and the incidents;
//   - visit:work (field agents): see the visits of their own pair, check in,
//     record outcomes. A field agent reaches a visit's case through the
//     visit (their pair is planned for it), not through the case scope.
//
// Every state change writes its audit event in the same transaction; the
// service's clock (the collect service's) is the only clock.
package fieldwork
