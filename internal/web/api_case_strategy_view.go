package web

import (
	"encoding/json"
	"time"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// The API's strategy versions and experiments: types of web mapped from
// the store's rows (TestAPITypes_NotStoreRows).

// strategyVersionView is the API's form of sqlstore.StrategyVersion.
type strategyVersionView struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Version     int             `json:"version"`
	Definition  json.RawMessage `json:"definition"`
	Status      string          `json:"status"`
	CreatedBy   string          `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	PublishedBy string          `json:"published_by,omitempty"`
	PublishedAt time.Time       `json:"published_at,omitzero"`
	RetiredAt   time.Time       `json:"retired_at,omitzero"`
}

func strategyVersionViewOf(x sqlstore.StrategyVersion) strategyVersionView {
	return strategyVersionView{
		ID:          x.ID,
		Name:        x.Name,
		Version:     x.Version,
		Definition:  x.Definition,
		Status:      x.Status,
		CreatedBy:   x.CreatedBy,
		CreatedAt:   x.CreatedAt,
		PublishedBy: x.PublishedBy,
		PublishedAt: x.PublishedAt,
		RetiredAt:   x.RetiredAt,
	}
}

// experimentView is the API's form of sqlstore.Experiment.
type experimentView struct {
	ID              int64     `json:"id"`
	Champion        int64     `json:"champion"`
	Challenger      int64     `json:"challenger"`
	ChallengerShare float64   `json:"challenger_share"`
	Name            string    `json:"name"`
	Status          string    `json:"status"`
	StartedOn       date.Date `json:"started_on"`
	StoppedOn       date.Date `json:"stopped_on,omitzero"`
	CreatedBy       string    `json:"created_by"`
	CreatedAt       time.Time `json:"created_at"`
}

func experimentViewOf(x sqlstore.Experiment) experimentView {
	return experimentView{
		ID:              x.ID,
		Champion:        x.Champion,
		Challenger:      x.Challenger,
		ChallengerShare: x.ChallengerShare,
		Name:            x.Name,
		Status:          x.Status,
		StartedOn:       x.StartedOn,
		StoppedOn:       x.StoppedOn,
		CreatedBy:       x.CreatedBy,
		CreatedAt:       x.CreatedAt,
	}
}

// experimentDayView is the API's form of sqlstore.ExperimentDay.
type experimentDayView struct {
	AsOf          date.Date    `json:"as_of"`
	Arm           string       `json:"arm"`
	Cases         int          `json:"cases"`
	Cured         int          `json:"cured"`
	RolledForward int          `json:"rolled_forward"`
	Recovered     money.Amount `json:"recovered"`
	Contacts      int          `json:"contacts"`
	Cost          money.Amount `json:"cost"`
}

func experimentDayViewOf(x sqlstore.ExperimentDay) experimentDayView {
	return experimentDayView{
		AsOf:          x.AsOf,
		Arm:           x.Arm,
		Cases:         x.Cases,
		Cured:         x.Cured,
		RolledForward: x.RolledForward,
		Recovered:     x.Recovered,
		Contacts:      x.Contacts,
		Cost:          x.Cost,
	}
}

// experimentResultsView is the API's form of collect.ExperimentResults.
type experimentResultsView struct {
	Experiment experimentView      `json:"experiment"`
	Champion   strategyVersionView `json:"champion_version"`
	Challenger strategyVersionView `json:"challenger_version"`
	Comparison strategy.Comparison `json:"comparison"`
	Days       []experimentDayView `json:"days"`
}

func experimentResultsViewOf(x collect.ExperimentResults) experimentResultsView {
	return experimentResultsView{
		Experiment: experimentViewOf(x.Experiment),
		Champion:   strategyVersionViewOf(x.Champion),
		Challenger: strategyVersionViewOf(x.Challenger),
		Comparison: x.Comparison,
		Days:       viewsOf(x.Days, experimentDayViewOf),
	}
}
