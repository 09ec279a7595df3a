package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/urfave/cli/v3"

	"accord/internal/offer"
)

const negotiateOptionsHelp = `Propose second-negotiation (二次协商) offers for one case described in a JSON
file, without a database (see docs/NEGOTIATION.md).

The file (amounts are decimal strings in yuan, rates decimal strings, dates
YYYY-MM-DD; unknown fields and bad values exit 2 naming the field):

  {"as_of": "2026-03-10",
   "debt": {"principal": "9000.00", "interest": "320.00", "penalty": "85.20", "fees": "50.00",
            "annual_rate": "0.18", "remaining_months": 8, "monthly_payment": "1150.00"},
   "assessment": {"monthly_income": "6000.00", "essential_expenses": "3500.00",
                  "other_debt_payments": "800.00", "dependants": 1, "liquid_assets": "0.00",
                  "hardship": "job_loss", "hardship_months": 3},
   "segment": "willing_unable",
   "policy": {"discount_rate": "0.10", "sustainable_share": "0.80", "min_payment": "100.00",
              "max_term_months": 36, "max_rate_cut": "0.06", "max_fee_waiver_share": "1.00",
              "max_settlement_discount": "0.30"}}

Required: as_of, debt.principal, debt.annual_rate, assessment.monthly_income.
debt: principal (all unpaid principal), interest (contract interest due), penalty
  and fees (demandable within the cost cap), annual_rate, remaining_months,
  monthly_payment.
assessment: monthly_income, income_evidence, essential_expenses (omit for the
  default from household_size and city_tier 1-4), household_size, city_tier,
  other_debt_payments, dependants, liquid_assets, hardship (job_loss, illness,
  business_failure, family_event, income_drop, other), hardship_months,
  willingness (willing, hesitant, unwilling).
segment: willing_able, willing_unable, unwilling_able, unwilling_unable.
history (optional): installments_due, installments_on_time,
  payments_while_delinquent, promises_kept, promises_broken, plans_broken.
policy (optional, over the built-in default): name, version, discount_rate,
  sustainable_share, min_payment, max_term_months, max_rate_cut,
  max_fee_waiver_share, max_settlement_discount, waiver_after_payments,
  settlement_due_days, settlement_instalments, expenses, authority.`

func (m *Main) negotiateCommand() *cli.Command {
	return &cli.Command{
		Name:  "negotiate",
		Usage: "second negotiation (二次协商): repayment offers for borrowers who cannot keep the original terms",
		Commands: []*cli.Command{{
			Name:        "options",
			Usage:       "propose offers for one case described in a JSON file (stateless; see docs/NEGOTIATION.md)",
			Description: negotiateOptionsHelp,
			ArgsUsage:   "[--file] CASE.json",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "file", Usage: "case JSON file ('-' for standard input)"},
				&cli.BoolFlag{Name: "json", Usage: "print the offers as JSON"},
			},
			Action: func(_ context.Context, c *cli.Command) error {
				r, err := m.openInput(c, "give the case file")
				if err != nil {
					return err
				}
				defer r.Close()
				cs, err := offer.ParseCase(r)
				if err != nil {
					return err
				}
				res, err := offer.Options(cs.AsOf, cs.Debt, cs.Assessment, cs.Segment, cs.History, cs.Policy)
				if err != nil {
					return err
				}
				if c.Bool("json") {
					enc := json.NewEncoder(m.stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(res)
				}
				return printOffers(m.stdout, res)
			},
		}, m.negotiatePolicyCommand(), m.negotiateTeamCommand()}, // cmd_negotiate_policy.go
	}
}

// printOffers writes the result as text: the assessment's arithmetic, then
// one line per offer.
func printOffers(w io.Writer, res offer.Result) error {
	fmt.Fprintf(w, "balance %s, sustainable payment %s (policy %s v%d)\n", res.Balance, res.Sustainable, res.Policy.Name, res.Policy.Version)
	for _, s := range res.Affordability.Steps {
		fmt.Fprintf(w, "  %s\n", s.EN)
	}
	fmt.Fprintf(w, "%-44s %5s %10s %10s %9s %6s %10s %-10s %s\n", "offer", "n", "max", "total", "rate", "p_kept", "expected", "approval", "affordable")
	for _, o := range res.Offers {
		_, err := fmt.Fprintf(w, "%-44s %5d %10s %10s %9s %6.4f %10s %-10s %v\n", o.ID, len(o.Schedule), o.MaxPayment, o.TotalPayable,
			o.AnnualRate, o.PKept, o.ExpectedRecovery, o.Approval, o.Affordable)
		if err != nil {
			return err
		}
	}
	return nil
}
