package negotiation

import (
	"fmt"
	"strings"

	"github.com/govalues/decimal"

	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// agreementText writes the printable agreement in Chinese and English: the
// parties, the loans, the new schedule, what is waived (and on which
// condition) and the terms.
func agreementText(name string, c sqlstore.Case, o sqlstore.Offer) (zh, en string) {
	x := o.Offer
	loans := make([]string, len(c.LoanIDs))
	for i, id := range c.LoanIDs {
		loans[i] = fmt.Sprint(id)
	}
	var z, e strings.Builder
	fmt.Fprintf(&z, "还款协议（二次协商）\n\n案件编号：%d　方案编号：%d\n借款人：%s\n涉及借款：%s\n\n", c.ID, o.ID, name, strings.Join(loans, "、"))
	fmt.Fprintf(&e, "Repayment agreement (second negotiation)\n\nCase: %d  Offer: %d\nBorrower: %s\nLoans: %s\n\n", c.ID, o.ID, name, strings.Join(loans, ", "))
	fmt.Fprintf(&z, "方案：%s\n应还总额：¥%s，共%d期，年化利率%s。\n", x.Summary.ZH, x.TotalPayable.Grouped(), len(x.Schedule), ratePercent(x.AnnualRate))
	fmt.Fprintf(&e, "Plan: %s\nTotal payable: ¥%s in %d payments, annual rate %s.\n", x.Summary.EN, x.TotalPayable.Grouped(), len(x.Schedule), ratePercent(x.AnnualRate))
	for _, w := range x.Waivers {
		a := w.Amount
		what := fmt.Sprintf("本金¥%s、利息¥%s、罚息¥%s、费用¥%s", a.Principal.Grouped(), a.Interest.Grouped(), a.Penalty.Grouped(), a.Fees.Grouped())
		whatEN := fmt.Sprintf("principal ¥%s, interest ¥%s, penalty ¥%s, fees ¥%s", a.Principal.Grouped(), a.Interest.Grouped(), a.Penalty.Grouped(), a.Fees.Grouped())
		if w.Condition == nil {
			fmt.Fprintf(&z, "减免（即时生效）：%s。\n", what)
			fmt.Fprintf(&e, "Waived now: %s.\n", whatEN)
		} else {
			fmt.Fprintf(&z, "附条件减免：%s，于连续%d期按时足额还款后生效；此前任一期未按时足额还款，该金额恢复为应还。\n", what, w.Condition.OnTimePayments)
			fmt.Fprintf(&e, "Waived on condition: %s, once %d consecutive plan payments are paid in full on time; if a payment is missed first, the amount falls due again.\n", whatEN, w.Condition.OnTimePayments)
		}
	}
	z.WriteString("\n还款计划：\n")
	e.WriteString("\nSchedule:\n")
	for i, p := range x.Schedule {
		fmt.Fprintf(&z, "  第%d期　%s　¥%s\n", i+1, p.Due, p.Amount.Grouped())
		fmt.Fprintf(&e, "  %d.  %s  ¥%s\n", i+1, p.Due, p.Amount.Grouped())
	}
	z.WriteString(termsZH)
	e.WriteString(termsEN)
	return z.String(), e.String()
}

const termsZH = `
条款：
1. 借款人按上述还款计划按时足额还款，通过贷款人官方渠道支付。
2. 本协议经借款人以短信验证码确认或签署后生效；生效后原借款按本计划重新安排，原借款合同的其他条款继续有效。
3. 借款人未按计划还款的，贷款人可依原借款合同及法律规定主张权利；附条件减免按上文约定处理。
4. 贷款人不得以本协议为由收取计划以外的任何费用。
`

const termsEN = `
Terms:
1. The borrower pays each amount above in full by its date, through the lender's official channels.
2. This agreement takes effect when the borrower confirms it with the SMS code or signs it; the loans are then rescheduled by this plan, and the other terms of the original loan contracts stay in force.
3. If the borrower does not keep the plan, the lender may enforce the original contracts as the law allows; conditional waivers are handled as stated above.
4. The lender charges nothing beyond this plan on account of this agreement.
`

// codeMessage is the SMS that carries an acceptance code.
func codeMessage(lang, code string, a sqlstore.Agreement) string {
	x := a.Offer
	first := offer.Payment{}
	if len(x.Schedule) > 0 {
		first = x.Schedule[0]
	}
	if strings.HasPrefix(lang, "en") {
		return fmt.Sprintf("Your repayment agreement code is %s, valid for %d minutes. Confirming accepts agreement %d: %d payments, ¥%s in all, the first ¥%s on %s. Ignore this if you did not ask for it.",
			code, int(CodeTTL.Minutes()), a.ID, len(x.Schedule), x.TotalPayable.Grouped(), first.Amount.Grouped(), first.Due)
	}
	return fmt.Sprintf("您的还款协议确认码为%s，%d分钟内有效。确认即同意协议%d：共%d期，应还总额¥%s，首期%s还¥%s。如非本人操作请忽略。",
		code, int(CodeTTL.Minutes()), a.ID, len(x.Schedule), x.TotalPayable.Grouped(), first.Due, first.Amount.Grouped())
}

// ratePercent shows an annual rate as a percentage for the agreement's
// reader: 0.238999 → "23.8999%".
func ratePercent(r decimal.Decimal) string {
	p, err := r.Mul(decimal.Hundred)
	if err != nil {
		return r.String()
	}
	return p.Trim(0).String() + "%"
}
