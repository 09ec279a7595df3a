package collect

import (
	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/money"
)

// CycleConfig holds the settings of the casework part of the nightly run.
// DefaultCycleConfig gives the values RunCycle uses.
type CycleConfig struct {
	Classify      classify.Config
	OpenThreshold int // a case opens when a loan is this many days past due
	Assign        casework.Config
	EV            casework.EVModel

	// MessageEveryDays is how often a message treatment is repeated while
	// the same strategy rule decides a case: on the day the rule starts
	// deciding and every MessageEveryDays after. The contact governor
	// still checks each message before it is sent.
	MessageEveryDays int
	// RecentDays is the window for "paid in the last 30 days" and for
	// noticing new payments on a case's loans.
	RecentDays int
	// ContactDays is the window the segment's contact responsiveness is
	// measured over.
	ContactDays int
	// SignalInstallments is how many of the latest installments due the
	// on-time ratio looks at.
	SignalInstallments int

	Costs Costs
	Texts TemplateTexts

	// ChunkBorrowers is how many borrowers one transaction of the casework
	// step handles.
	ChunkBorrowers int
}

// Costs are what treatments cost, for the experiment reports.
type Costs struct {
	SMS   money.Amount `json:"sms"`
	Email money.Amount `json:"email"`
	Call  money.Amount `json:"call"` // per contact attempt logged
}

// TemplateTexts are the lender's values for message placeholders.
type TemplateTexts struct {
	Lender     string `json:"lender"`
	Hotline    string `json:"hotline"`
	PayChannel string `json:"pay_channel"`
	Collector  string `json:"collector"` // signature when no collector owns the case
}

// DefaultCycleConfig returns the default ladder, tier matrix and segment
// model, opening at 1 DPD, the default assignment and queue-value rules,
// weekly message repeats, 30-day windows, the last 6 installments, and
// typical costs: SMS ¥0.05, email ¥0.01, call ¥1.50.
func DefaultCycleConfig() CycleConfig {
	return CycleConfig{
		Classify:           classify.DefaultConfig(),
		OpenThreshold:      casework.DefaultOpenThreshold,
		Assign:             casework.DefaultConfig(),
		EV:                 casework.DefaultEVModel(),
		MessageEveryDays:   7,
		RecentDays:         30,
		ContactDays:        30,
		SignalInstallments: 6,
		Costs:              Costs{SMS: 5, Email: 1, Call: 150},
		Texts: TemplateTexts{Lender: "安信消费金融", Hotline: "400-800-1234", PayChannel: "官方App或对公账户",
			Collector: "客服专员"},
		ChunkBorrowers: 1000,
	}
}

func (c CycleConfig) withDefaults() CycleConfig {
	d := DefaultCycleConfig()
	if len(c.Classify.Buckets) == 0 {
		c.Classify = d.Classify
	}
	if c.OpenThreshold < 1 {
		c.OpenThreshold = d.OpenThreshold
	}
	if len(c.EV.BucketBase) == 0 {
		c.EV = d.EV
	}
	if c.MessageEveryDays < 1 {
		c.MessageEveryDays = d.MessageEveryDays
	}
	if c.RecentDays < 1 {
		c.RecentDays = d.RecentDays
	}
	if c.ContactDays < 1 {
		c.ContactDays = d.ContactDays
	}
	if c.SignalInstallments < 1 {
		c.SignalInstallments = d.SignalInstallments
	}
	if c.Texts.Lender == "" {
		c.Texts = d.Texts
	}
	if c.ChunkBorrowers < 1 {
		c.ChunkBorrowers = d.ChunkBorrowers
	}
	return c
}
