package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// plansUsage is the plans subcommand's synopsis.
const plansUsage = `usage: accord-load plans --db DSN --key-file FILE --plans N --as-of YYYY-MM-DD

Puts the first N open cases of a demo portfolio (lowest case id first; those
refused are skipped) under repayment plans through the negotiation use
cases, as negotiators would on the as-of date: an affordability assessment,
the engine's offers, the best one approved by the administrator (a
manager's authority; the team budget is not what is measured, so its share
is 100%), an agreement accepted by a signed copy, which activates the plan
in the ledger. Run it after the night before as-of, then run the nights
from as-of on. Prints a JSON summary.`

// plansResult is what the plans subcommand prints.
type plansResult struct {
	Plans    int            `json:"plans"`
	Cases    int            `json:"cases_tried"`
	Skipped  map[string]int `json:"skipped,omitempty"`
	ByKind   map[string]int `json:"by_offer_kind"`
	AsOf     string         `json:"as_of"`
	Seconds  float64        `json:"seconds"`
	PerPlanM float64        `json:"ms_per_plan"`
}

func plansMain(args []string) int {
	fs := flag.NewFlagSet("plans", flag.ContinueOnError)
	dsn := fs.String("db", "", "database DSN (sqlite:PATH or postgres://…)")
	keyFile := fs.String("key-file", "", "the PII key file of the database (the audit key is read beside it, as accord does)")
	n := fs.Int("plans", 50000, "how many plans to activate")
	asOf := fs.String("as-of", "", "the business date the plans are negotiated on (the day after the last nightly run)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the loading to this file (go tool pprof)")
	fs.Usage = func() { fmt.Fprintln(os.Stderr, plansUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	d, err := date.Parse(*asOf)
	if err != nil || *dsn == "" || *keyFile == "" || *n <= 0 {
		fs.Usage()
		return 2
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "accord-load plans:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "accord-load plans:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	res, err := loadPlans(context.Background(), *dsn, *keyFile, *n, d)
	if err != nil {
		fmt.Fprintln(os.Stderr, "accord-load plans:", err)
		return 1
	}
	_ = json.NewEncoder(os.Stdout).Encode(res)
	return 0
}

// loadPlans opens the database as accord does and activates up to n plans.
func loadPlans(ctx context.Context, dsn, keyFile string, n int, asOf date.Date) (plansResult, error) {
	key, err := pii.LoadKey(os.Getenv("ACCORD_SECRET_KEY"), keyFile)
	if err != nil {
		return plansResult{}, err
	}
	cipher, err := pii.NewCipher(key)
	if err != nil {
		return plansResult{}, err
	}
	db, err := sqlstore.Open(ctx, dsn, cipher)
	if err != nil {
		return plansResult{}, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return plansResult{}, err
	}
	auditKey, err := pii.LoadAuditKey(os.Getenv("ACCORD_AUDIT_KEY"), filepath.Join(filepath.Dir(keyFile), "accord-audit.key"))
	if err != nil {
		return plansResult{}, err
	}
	db.SetAuditKey(auditKey)
	// The clock stands at 10:00 in Shanghai on the as-of date, all along.
	now := asOf.Time().Add(2 * time.Hour)
	svc := collect.New(db, collect.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }})
	neg := negotiation.Wire(svc, negotiation.Options{})
	neg.UseBudgetShare(decimal.MustParse("1"))
	users, err := svc.Users(ctx)
	if err != nil {
		return plansResult{}, err
	}
	var proposer, approver collect.Actor
	for _, u := range users {
		switch u.Username {
		case "supervisor":
			proposer = collect.Actor{User: u, RequestID: "accord-load"}
		case "admin":
			approver = collect.Actor{User: u, RequestID: "accord-load"}
		}
	}
	if proposer.User.ID == 0 || approver.User.ID == 0 {
		return plansResult{}, fmt.Errorf("the demo users supervisor and admin are needed (accord demo creates them)")
	}
	res := plansResult{AsOf: asOf.String(), Skipped: map[string]int{}, ByKind: map[string]int{}}
	t0 := time.Now()
	open := casework.Open
	for offset := 0; res.Plans < n; {
		var page []sqlstore.Case
		err := db.Read(ctx, func(tx *sqlstore.Tx) (err error) {
			page, _, err = tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, Limit: 1000, Offset: offset})
			return err
		})
		if err != nil {
			return res, err
		}
		if len(page) == 0 {
			break
		}
		offset += len(page)
		for _, c := range page {
			if res.Plans == n {
				break
			}
			res.Cases++
			kind, err := negotiate(ctx, neg, proposer, approver, c)
			if errs.CodeOf(err) == errs.Internal || errs.CodeOf(err) == "" && err != nil {
				return res, fmt.Errorf("case %d: %w", c.ID, err)
			}
			if err != nil {
				res.Skipped[string(errs.CodeOf(err))]++
				continue
			}
			res.Plans++
			res.ByKind[kind]++
			if res.Plans%5000 == 0 {
				fmt.Fprintf(os.Stderr, "accord-load plans: %d plans in %s\n", res.Plans, time.Since(t0).Round(time.Second))
			}
		}
	}
	res.Seconds = time.Since(t0).Seconds()
	if res.Plans > 0 {
		res.PerPlanM = res.Seconds * 1000 / float64(res.Plans)
	}
	if res.Plans < n {
		return res, fmt.Errorf("only %d plans from %d open cases, %d wanted", res.Plans, res.Cases, n)
	}
	return res, nil
}

// negotiate takes case c from assessment to an active plan and returns
// the offer kind accepted.
func negotiate(ctx context.Context, neg *negotiation.Service, proposer, approver collect.Actor, c sqlstore.Case) (string, error) {
	in := negotiation.NewAssessment{Assessment: assessmentFor(c), Evidence: "accord-load"}
	if _, err := neg.Assess(ctx, proposer, c.ID, in); err != nil {
		return "", err
	}
	offers, err := neg.ProposeOffers(ctx, proposer, c.ID)
	if err != nil {
		return "", err
	}
	if len(offers) == 0 {
		return "", errs.Errorf(errs.Conflict, "no offers")
	}
	o := offers[0] // affordable ones first, by expected recovery
	if _, err := neg.ApproveOffer(ctx, approver, o.ID, "accord-load"); err != nil {
		return "", err
	}
	ag, err := neg.CreateAgreement(ctx, proposer, o.ID)
	if err != nil {
		return "", err
	}
	if _, err := neg.UploadSignedCopy(ctx, proposer, ag.ID, negotiation.NewAttachment{Name: "signed.pdf",
		ContentType: "application/pdf", Data: []byte("%PDF-1.4 signed agreement " + fmt.Sprint(ag.ID))}); err != nil {
		return "", err
	}
	return string(o.Offer.Kind), nil
}

// assessmentFor is a plausible assessment of case c's borrower: an income
// that leaves a sustainable payment near a tenth of the balance, varied by
// case, with a hardship of a few months.
func assessmentFor(c sqlstore.Case) offer.Assessment {
	hardships := []offer.Hardship{offer.JobLoss, offer.Illness, offer.IncomeDrop, offer.BusinessFailure, offer.FamilyEvent}
	income := max(money.Yuan(3000), c.Balance/8+money.Yuan(2500)+money.Amount(c.ID%7)*money.Yuan(300))
	return offer.Assessment{MonthlyIncome: income, IncomeEvidence: "payslip", OtherDebtPayments: money.Yuan(300),
		Dependants: int(c.ID % 3), LiquidAssets: money.Yuan(200), Hardship: hardships[c.ID%int64(len(hardships))],
		HardshipMonths: 1 + int(c.ID%4), Willingness: offer.Willing}
}
