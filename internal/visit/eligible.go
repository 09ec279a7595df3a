package visit

import (
	"slices"
	"strings"

	"accord/internal/borrower"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/money"
)

// Candidate is what eligibility looks at: why the visit is proposed, where
// to, and the borrower's flags and arrears.
type Candidate struct {
	Recommended bool              // the strategy recommends a visit
	Purpose     string            // why a person asks for it; required unless Recommended
	Address     *borrower.Address // the address to visit
	Flags       []string          // the borrower's flags (compliance.Flag…)
	DPD         int
	Overdue     money.Amount
}

// The reasons a borrower may not be visited.
const (
	NoPurpose       = "purpose_missing"          // neither recommended nor asked for with a purpose
	NoAddress       = "address_missing"          // no address to go to
	NoCoordinates   = "address_not_located"      // the address has no coordinates to plan a route
	Vulnerable      = "borrower_vulnerable"      // a vulnerability flag
	Disputed        = "borrower_disputed"        // the debt is disputed
	Ceased          = "borrower_ceased"          // asked that collection stop
	LostContact     = "borrower_lost_contact"    // CN-VISIT refuses visits to a borrower in lost contact
	BelowMinDPD     = "below_min_dpd"            // fewer days past due than the policy's threshold
	BelowMinOverdue = "below_min_overdue_amount" // owes less overdue than the policy's threshold
)

// flagReasons maps borrower flags to the reason they bar a visit. Every
// cause of vulnerability the governor knows bars it.
var flagReasons = map[string]string{
	compliance.FlagVulnerable: Vulnerable, compliance.FlagSeriousIllness: Vulnerable,
	compliance.FlagBereavement: Vulnerable, compliance.FlagMentalHealth: Vulnerable,
	compliance.FlagDisability: Vulnerable, compliance.FlagOldAge: Vulnerable,
	compliance.FlagJobLoss: Vulnerable, compliance.FlagCapacityConcern: Vulnerable,
	compliance.FlagDisputed: Disputed, compliance.FlagDisputeWritten: Disputed,
	compliance.FlagCease:       Ceased,
	compliance.FlagLostContact: LostContact,
}

// Eligibility is the answer of Eligible: OK, or the reasons why not.
type Eligibility struct {
	OK      bool     `json:"ok"`
	Reasons []string `json:"reasons,omitempty"`
}

// Err returns nil when e is OK, or a Conflict error listing the reasons.
func (e Eligibility) Err() error {
	if e.OK {
		return nil
	}
	return errs.Errorf(errs.Conflict, "The borrower may not be visited: %s.", strings.Join(e.Reasons, ", "))
}

// Eligible reports whether c may be visited under p. A visit must be
// recommended by the strategy or asked for with a purpose; go to a known
// address with coordinates; be to a borrower who is not vulnerable, not
// disputing the debt, has not asked collection to stop and is not in lost
// contact (CN-VISIT); and meet the policy's thresholds of days past due
// and overdue amount. Every reason that applies is listed.
func Eligible(c Candidate, p Policy) Eligibility {
	var why []string
	if !c.Recommended && strings.TrimSpace(c.Purpose) == "" {
		why = append(why, NoPurpose)
	}
	switch {
	case c.Address == nil || strings.TrimSpace(c.Address.Line) == "":
		why = append(why, NoAddress)
	case !located(*c.Address):
		why = append(why, NoCoordinates)
	}
	for _, f := range c.Flags {
		if r, ok := flagReasons[f]; ok && !slices.Contains(why, r) {
			why = append(why, r)
		}
	}
	if c.DPD < p.MinDPD {
		why = append(why, BelowMinDPD)
	}
	if c.Overdue < p.MinOverdue {
		why = append(why, BelowMinOverdue)
	}
	return Eligibility{OK: len(why) == 0, Reasons: why}
}

// located reports whether a has real coordinates: on the globe and not the
// 0,0 an import leaves when it has none.
func located(a borrower.Address) bool {
	return a.Lat >= -90 && a.Lat <= 90 && a.Lon >= -180 && a.Lon <= 180 && (a.Lat != 0 || a.Lon != 0)
}
