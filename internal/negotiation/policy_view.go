package negotiation

import (
	"context"
	"strconv"
	"strings"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// An offer policy for people (the console's policy page and `accord
// negotiate policy show`): each limit with its zh/en label and its value
// for display (rates as percentages, amounts grouped in yuan), the
// authority matrix as a table, and the differences between two versions.

// PolicyRow is one setting of a policy: its document field, labels and
// value for display.
type PolicyRow struct {
	Field string `json:"field"`
	ZH    string `json:"zh"`
	EN    string `json:"en"`
	Value string `json:"value"`
}

// Label returns the row's label in lang ("en" or Chinese).
func (r PolicyRow) Label(lang string) string {
	if lang == "en" {
		return r.EN
	}
	return r.ZH
}

// Percent shows a rate as a percentage: 0.10 → "10%", 0.025 → "2.5%".
func Percent(d decimal.Decimal) string {
	p, err := d.Mul(decimal.Hundred)
	if err != nil {
		return d.String()
	}
	return p.Trim(0).String() + "%"
}

func yuan(a money.Amount) string { return "¥" + a.Grouped() }

// PolicyRows returns p's limits and rates in the order of the document.
func PolicyRows(p offer.Policy) []PolicyRow {
	n := strconv.Itoa
	tiers := make([]string, 4)
	for i, a := range p.Expenses.PerPerson {
		tiers[i] = yuan(a)
	}
	return []PolicyRow{
		{"discount_rate", "贴现率（年化，计算净现值）", "Discount rate (annual, for NPV)", Percent(p.DiscountRate)},
		{"sustainable_share", "可用于还款的可支配收入比例", "Share of disposable income a plan may take", Percent(p.SustainableShare)},
		{"min_payment", "最低月还款（困难期）", "Lowest monthly payment (relief)", yuan(p.MinPayment)},
		{"max_term_months", "最长期限（月）", "Longest plan (months)", n(p.MaxTermMonths)},
		{"max_rate_cut", "最大降息幅度", "Largest rate cut", Percent(p.MaxRateCut)},
		{"max_fee_waiver_share", "罚息与费用最大减免比例", "Largest waiver of penalty and fees", Percent(p.MaxFeeWaiverShare)},
		{"max_settlement_discount", "结清最大本金折扣", "Largest settlement discount of principal", Percent(p.MaxSettlementDiscount)},
		{"waiver_after_payments", "附条件减免：连续按时还款期数", "Conditional waiver after on-time payments", n(p.WaiverAfterPayments)},
		{"settlement_due_days", "一次性结清付款期限（天）", "Lump-sum settlement due in (days)", n(p.SettlementDueDays)},
		{"settlement_instalments", "分期结清期数", "Instalments of a settlement", n(p.SettlementInstalments)},
		{"expenses.per_person", "必要支出：首位家庭成员（一至四线城市）", "Essential expenses, first person (city tiers 1–4)", strings.Join(tiers, " / ")},
		{"expenses.additional_share", "每增加一位家庭成员的支出比例", "Each further person, share of the first", Percent(p.Expenses.AdditionalShare)},
	}
}

// AuthorityRow is one level of the authority matrix for display: a nil
// limit is no limit.
type AuthorityRow struct {
	Level             offer.Level `json:"level"`
	FeeWaiver         *string     `json:"max_fee_waiver"`
	InterestWaiver    *string     `json:"max_interest_waiver"`
	PrincipalDiscount *string     `json:"max_principal_discount"`
	RateCut           *string     `json:"max_rate_cut"`
	TermMonths        *string     `json:"max_term_months"`
}

// AuthorityColumns are the matrix's columns: field, zh and en labels.
var AuthorityColumns = [][3]string{
	{"max_fee_waiver", "罚息与费用减免上限", "Penalty and fee waiver up to"},
	{"max_interest_waiver", "利息减免上限", "Interest waiver up to"},
	{"max_principal_discount", "本金折扣上限", "Principal discount up to"},
	{"max_rate_cut", "降息上限", "Rate cut up to"},
	{"max_term_months", "期限上限（月）", "Plan length up to (months)"},
}

// Cells returns the row's limits in the order of AuthorityColumns.
func (r AuthorityRow) Cells() []*string {
	return []*string{r.FeeWaiver, r.InterestWaiver, r.PrincipalDiscount, r.RateCut, r.TermMonths}
}

// AuthorityRows returns p's authority matrix, lowest level first.
func AuthorityRows(p offer.Policy) []AuthorityRow {
	out := make([]AuthorityRow, 0, len(p.Authority))
	for _, a := range p.Authority {
		r := AuthorityRow{Level: a.Level}
		if a.MaxFeeWaiver != nil {
			r.FeeWaiver = ptr(yuan(*a.MaxFeeWaiver))
		}
		if a.MaxInterestWaiver != nil {
			r.InterestWaiver = ptr(yuan(*a.MaxInterestWaiver))
		}
		if a.MaxPrincipalDiscount != nil {
			r.PrincipalDiscount = ptr(Percent(*a.MaxPrincipalDiscount))
		}
		if a.MaxRateCut != nil {
			r.RateCut = ptr(Percent(*a.MaxRateCut))
		}
		if a.MaxTermMonths != nil {
			r.TermMonths = ptr(strconv.Itoa(*a.MaxTermMonths))
		}
		out = append(out, r)
	}
	return out
}

func ptr(s string) *string { return &s }

// PolicyChange is one difference between two policies: the setting (a
// PolicyRow's field, or "authority.<level>.<column>"), its labels and
// both values for display ("" where the level is absent; NoLimit for no
// limit).
type PolicyChange struct {
	Field string `json:"field"`
	ZH    string `json:"zh"`
	EN    string `json:"en"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Label returns the change's label in lang.
func (c PolicyChange) Label(lang string) string {
	if lang == "en" {
		return c.EN
	}
	return c.ZH
}

// NoLimit is how a missing authority limit reads in a PolicyChange.
const NoLimit = "∞"

var levelNames = map[offer.Level][2]string{
	offer.Collector: {"催收员", "Collector"}, offer.Supervisor: {"主管", "Supervisor"}, offer.Manager: {"经理", "Manager"},
}

// DiffPolicies lists what changes from base to next, setting by setting
// and cell by cell of the authority matrix; the name, version and
// description are not compared.
func DiffPolicies(base, next offer.Policy) []PolicyChange {
	var out []PolicyChange
	a, b := PolicyRows(base), PolicyRows(next)
	for i := range a {
		if a[i].Value != b[i].Value {
			out = append(out, PolicyChange{a[i].Field, a[i].ZH, a[i].EN, a[i].Value, b[i].Value})
		}
	}
	levels := func(p offer.Policy) map[offer.Level]AuthorityRow {
		m := map[offer.Level]AuthorityRow{}
		for _, r := range AuthorityRows(p) {
			m[r.Level] = r
		}
		return m
	}
	from, to := levels(base), levels(next)
	var order []offer.Level
	seen := map[offer.Level]bool{}
	for _, p := range []offer.Policy{base, next} {
		for _, x := range p.Authority {
			if !seen[x.Level] {
				seen[x.Level] = true
				order = append(order, x.Level)
			}
		}
	}
	cell := func(m map[offer.Level]AuthorityRow, l offer.Level, i int) string {
		r, ok := m[l]
		if !ok {
			return ""
		}
		if c := r.Cells()[i]; c != nil {
			return *c
		}
		return NoLimit
	}
	for _, l := range order {
		name, ok := levelNames[l]
		if !ok {
			name = [2]string{string(l), string(l)}
		}
		for i, col := range AuthorityColumns {
			f, t := cell(from, l, i), cell(to, l, i)
			if f != t {
				out = append(out, PolicyChange{"authority." + string(l) + "." + col[0], "审批权限 · " + name[0] + " · " + col[1],
					"Authority · " + name[1] + " · " + col[2], f, t})
			}
		}
	}
	return out
}

// PolicyDetail is a stored offer policy version with the policy it holds.
type PolicyDetail struct {
	Version sqlstore.OfferPolicyVersion
	Policy  offer.Policy
}

// mayReadPolicies: policy editors and dashboard readers see offer policies.
func mayReadPolicies(by collect.Actor) error {
	if !by.User.Can(auth.PermStrategyEdit) && !by.User.Can(auth.PermDashboardRead) {
		return errs.Errorf(errs.Forbidden, "Your role may not see offer policies.")
	}
	return nil
}

// OfferPolicyDetail returns stored version id with its policy; id 0 is the
// published version. It returns NotFound, or Forbidden unless by may see
// offer policies.
func (s *Service) OfferPolicyDetail(ctx context.Context, by collect.Actor, id int64) (PolicyDetail, error) {
	if err := mayReadPolicies(by); err != nil {
		return PolicyDetail{}, err
	}
	var d PolicyDetail
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if id == 0 {
			d.Version, err = tx.PublishedOfferPolicy(ctx)
		} else {
			d.Version, err = tx.OfferPolicyVersion(ctx, id)
		}
		if err != nil {
			return err
		}
		d.Policy, err = storedPolicy(d.Version)
		return err
	})
	return d, err
}

// MayPublishOfferPolicy reports, as PublishOfferPolicy would, whether by
// may publish v: nil, or the Forbidden error of the permission or the
// four-eyes rule. The console says so before anyone tries.
func (s *Service) MayPublishOfferPolicy(by collect.Actor, v sqlstore.OfferPolicyVersion) error {
	if err := requirePolicyEdit(by); err != nil {
		return err
	}
	return s.policyFourEyes(by, v)
}
