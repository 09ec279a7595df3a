package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/govalues/decimal"
	"github.com/urfave/cli/v3"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
)

func (m *Main) scheduleCommand() *cli.Command {
	return &cli.Command{
		Name:  "schedule",
		Usage: "print a repayment schedule (还款计划) for given terms",
		Description: "Installment k is due on the disbursement day-of-month k months later, clamped to the month's end; " +
			"the monthly rate is the annual rate ÷ 12, unrounded; every amount is rounded half-up to the fen.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "principal", Usage: "principal in yuan, e.g. 10000.00", Required: true},
			&cli.StringFlag{Name: "annual-rate", Usage: "annual interest rate as a decimal, e.g. 0.12", Required: true},
			&cli.IntFlag{Name: "months", Usage: "number of monthly installments", Required: true},
			&cli.StringFlag{Name: "method", Usage: "equal_installment (等额本息), equal_principal (等额本金) or interest_first (先息后本)", Value: "equal_installment"},
			&cli.StringFlag{Name: "start", Usage: "disbursement date YYYY-MM-DD", Required: true},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			terms, err := parseTerms(c)
			if err != nil {
				return err
			}
			sched, err := ledger.Schedule(terms)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return m.printScheduleJSON(sched)
			}
			tw := tabwriter.NewWriter(m.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "seq\tdue_date\tprincipal\tinterest\ttotal\t")
			for _, in := range sched {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t\n", in.Seq, in.DueDate, in.Principal, in.Interest, in.Total())
			}
			fmt.Fprintf(tw, "\t\t\ttotal interest\t%s\t\n", ledger.TotalInterest(sched))
			return tw.Flush()
		},
	}
}

func parseTerms(c *cli.Command) (ledger.Terms, error) {
	var fields []errs.FieldError
	p, err := money.Parse(c.String("principal"))
	if err != nil {
		fields = append(fields, errs.FieldError{Field: "--principal", Message: errs.MessageOf(err)})
	}
	rate, err := decimal.Parse(c.String("annual-rate"))
	if err != nil {
		fields = append(fields, errs.FieldError{Field: "--annual-rate", Message: "not a decimal number such as 0.12"})
	}
	start, err := date.Parse(c.String("start"))
	if err != nil {
		fields = append(fields, errs.FieldError{Field: "--start", Message: errs.MessageOf(err)})
	}
	if len(fields) > 0 {
		return ledger.Terms{}, errs.Fields("Invalid schedule terms.", fields...)
	}
	t := ledger.Terms{Principal: p, AnnualRate: rate, Months: int(c.Int("months")), Method: ledger.Method(c.String("method")), DisbursedOn: start}
	return t, t.Validate()
}

type scheduleLine struct {
	Seq       int          `json:"seq"`
	DueDate   date.Date    `json:"due_date"`
	Principal money.Amount `json:"principal"`
	Interest  money.Amount `json:"interest"`
	Total     money.Amount `json:"total"`
}

func (m *Main) printScheduleJSON(sched []ledger.Installment) error {
	out := struct {
		Installments  []scheduleLine `json:"installments"`
		TotalInterest money.Amount   `json:"total_interest"`
	}{TotalInterest: ledger.TotalInterest(sched)}
	for _, in := range sched {
		out.Installments = append(out.Installments, scheduleLine{in.Seq, in.DueDate, in.Principal, in.Interest, in.Total()})
	}
	enc := json.NewEncoder(m.stdout)
	return enc.Encode(out)
}
