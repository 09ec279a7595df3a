package compliance

import "slices"

// What came of a contact, as a collector records it in the contact log.
// Several may apply to one contact.
const (
	ResultPromise    = "promise"       // promised to pay (承诺还款)
	ResultDispute    = "dispute"       // disputes the debt or an amount (异议)
	ResultHardship   = "hardship"      // cannot pay: income lost or fell (困难)
	ResultComplaint  = "complaint"     // complained about the collection (投诉)
	ResultCease      = "cease_request" // asked not to be contacted again (要求停止催收)
	ResultWrongParty = "wrong_party"   // the person reached is not who was called (非本人)
	ResultVulnerable = "vulnerable"    // signs of vulnerability: illness, bereavement, mental health … (弱势)
	ResultPaid       = "already_paid"  // says the debt is already paid
)

// Results lists every result, in display order.
var Results = []string{ResultPromise, ResultDispute, ResultHardship, ResultComplaint, ResultCease,
	ResultWrongParty, ResultVulnerable, ResultPaid}

// Flags a contact's results may set that the governor does not read
// itself, for queues, strategies and reports.
const (
	FlagHardship  = "hardship"
	FlagComplaint = "complaint"
)

// FlagsAfter returns the borrower's flags once a contact on channel had
// results, and the flags that were added. A dispute flags the borrower
// disputed, and a dispute in writing (letter or email) also
// dispute_written; a cease request sets cease; signs of vulnerability set
// vulnerable (routing the case to the specialist queue and out of automated
// contact, R48); hardship and complaints are flagged for the queues. A
// promise, a wrong party or an "already paid" changes no flag. Flags are
// only ever added here: lifting one (a resolved dispute) is a deliberate
// decision recorded elsewhere (collect.RecordDisputeOutcome). A new
// dispute after a resolved one opens it again: dispute_resolved is removed
// and disputed counts as added, so collection is suspended again.
func FlagsAfter(flags, results []string, channel Channel) (after, added []string) {
	after = slices.Clone(flags)
	add := func(f string) {
		if !slices.Contains(after, f) {
			after = append(after, f)
			added = append(added, f)
		}
	}
	for _, r := range results {
		switch r {
		case ResultDispute:
			if slices.Contains(after, FlagDisputeResolved) {
				after = slices.DeleteFunc(after, func(f string) bool { return f == FlagDisputeResolved || f == FlagDisputed })
			}
			add(FlagDisputed)
			if channel == Letter || channel == Email {
				add(FlagDisputeWritten)
			}
		case ResultCease:
			add(FlagCease)
		case ResultVulnerable:
			add(FlagVulnerable)
		case ResultHardship:
			add(FlagHardship)
		case ResultComplaint:
			add(FlagComplaint)
		}
	}
	return after, added
}

// Vulnerable reports whether flags mark a vulnerable borrower, by the
// general flag or any cause.
func Vulnerable(flags []string) bool { return flagsOf(flags).has(fVulnerable) }
