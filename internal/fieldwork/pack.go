package fieldwork

import (
	"context"
	"fmt"

	"accord/internal/borrower"
	"accord/internal/classify"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/money"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// Pack is the preparation pack of a visit, printable and readable on a
// phone: who, what they owe and have paid, whom they registered, how the
// contacts went, earlier visits, what to ask for, the offers to put, how
// to approach them, the rules to remember and the official payment
// channels (collectors never take cash). Personal data is masked.
type Pack struct {
	Visit          sqlstore.Visit            `json:"visit"`
	Borrower       borrower.Borrower         `json:"borrower"` // name, ids and numbers masked
	Case           sqlstore.Case             `json:"case"`
	Loans          []collect.LoanSummary     `json:"loans"`    // the contract summary and repayment position
	Contacts       []borrower.Contact        `json:"contacts"` // registered contacts, masked
	ContactHistory []sqlstore.ContactAttempt `json:"contact_history"`
	EarlierVisits  []sqlstore.Visit          `json:"earlier_visits"`
	Target         string                    `json:"target"`     // what to ask for
	AskAmount      money.Amount              `json:"ask_amount"` // the overdue amount at the request
	Offers         []sqlstore.Offer          `json:"offers"`     // proposed from the latest assessment (negotiation)
	Approach       classify.Script           `json:"approach"`   // for the borrower's segment
	Rules          []compliance.Text         `json:"rules"`
	Channels       []PaymentChannel          `json:"payment_channels"`
}

// PaymentChannel is one of the lender's official ways to pay.
type PaymentChannel struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Rules are what every visit keeps to.
var Rules = []compliance.Text{
	{ZH: "不得威胁、恐吓、辱骂或使用暴力。", EN: "No threats, intimidation, insults or force."},
	{ZH: "不向邻居、同事或任何第三方透露债务信息。", EN: "Disclose nothing of the debt to neighbours, colleagues or anyone else."},
	{ZH: "对方要求离开时立即离开。", EN: "Leave at once when asked to."},
	{ZH: "两名催收员同行，出示工作证件。", EN: "Two collectors, showing their staff cards."},
	{ZH: "全程开启录音录像。", EN: "Recording on throughout."},
	{ZH: "不收取现金；只引导通过官方渠道还款。", EN: "Never take cash: point only to the official payment channels."},
}

// Channels are the official payment channels shown on the pack (the
// lender's app, bank transfer to the lender's collection account, and the
// customer service line); never a collector's account, never cash.
var Channels = []PaymentChannel{
	{ZH: "贷款机构官方App“还款”页面", EN: "The lender's official app, Repay page"},
	{ZH: "银行转账至贷款机构对公还款账户（见合同）", EN: "Bank transfer to the lender's collection account named in the contract"},
	{ZH: "致电官方客服热线获取还款方式", EN: "The official customer service line, for other ways to pay"},
}

// Preparation returns the preparation pack of visit id, if by may see the
// visit and its case. It returns NotFound (also outside by's reach) or
// Forbidden.
func (s *Service) Preparation(ctx context.Context, by collect.Actor, id int64) (Pack, error) {
	var pk Pack
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		v, err := s.reachVisit(ctx, tx, by, id)
		if err != nil {
			return err
		}
		pk.Visit = v
		if pk.EarlierVisits, _, err = tx.Visits(ctx, sqlstore.VisitFilter{BorrowerID: v.BorrowerID, Limit: 20}); err != nil {
			return err
		}
		for i := 0; i < len(pk.EarlierVisits); i++ {
			if pk.EarlierVisits[i].ID == v.ID {
				pk.EarlierVisits = append(pk.EarlierVisits[:i], pk.EarlierVisits[i+1:]...)
				i--
			}
		}
		bid := v.BorrowerID
		pk.ContactHistory, _, err = tx.ContactAttempts(ctx, sqlstore.ContactAttemptFilter{BorrowerID: &bid, Masked: true, Limit: 20})
		return err
	})
	if err != nil {
		return Pack{}, fmt.Errorf("preparation pack of visit %d: %w", id, err)
	}
	cp, err := s.collect.Case(ctx, by, pk.Visit.CaseID)
	if err != nil {
		return Pack{}, fmt.Errorf("preparation pack of visit %d: %w", id, err)
	}
	pk.Case, pk.Loans = cp.Case, cp.Loans
	pk.Borrower = cp.Borrower
	pk.Borrower.Name = pii.MaskName(pk.Borrower.Name)
	if pk.Contacts, err = s.collect.RegisteredContacts(ctx, by, pk.Visit.BorrowerID); err != nil {
		return Pack{}, fmt.Errorf("preparation pack of visit %d: %w", id, err)
	}
	for i := range pk.Contacts {
		pk.Contacts[i].Name = pii.MaskName(pk.Contacts[i].Name)
		pk.Contacts[i].Phone = pii.MaskPhone(pk.Contacts[i].Phone)
	}
	if pk.Offers, err = s.neg.Offers(ctx, by, pk.Visit.CaseID); err != nil {
		return Pack{}, fmt.Errorf("preparation pack of visit %d: %w", id, err)
	}
	pk.Target, pk.AskAmount = pk.Visit.Target, money.Amount(pk.Visit.OverdueMinor)
	if pk.Target == "" {
		pk.Target = pk.Visit.Purpose
	}
	pk.Approach = classify.ScriptFor(pk.Case.Segment)
	pk.Rules, pk.Channels = Rules, Channels
	return pk, nil
}
