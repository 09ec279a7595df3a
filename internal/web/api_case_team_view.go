package web

import (
	"time"

	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/sqlstore"
)

// The API's teams, collectors and agencies and the supervisor's queues:
// types of web mapped from the store's rows (TestAPITypes_NotStoreRows).

// queuesView is the API's form of collect.Queues.
type queuesView struct {
	Teams      []teamLoadView    `json:"teams"`
	Agencies   []agencyView      `json:"agencies"`
	Unassigned int               `json:"unassigned"`
	Cases      []caseView        `json:"cases"`
	Total      int               `json:"total"`
	Names      map[string]string `json:"names"`
}

func queuesViewOf(x collect.Queues) queuesView {
	return queuesView{
		Teams:      viewsOf(x.Teams, teamLoadViewOf),
		Agencies:   viewsOf(x.Agencies, agencyViewOf),
		Unassigned: x.Unassigned,
		Cases:      viewsOf(x.Cases, caseViewOf),
		Total:      x.Total,
		Names:      x.Names,
	}
}

// teamLoadView is the API's form of collect.TeamLoad.
type teamLoadView struct {
	Team       teamView        `json:"team"`
	Collectors []collectorView `json:"collectors"`
	Open       int             `json:"open"`
	Capacity   int             `json:"capacity"`
}

func teamLoadViewOf(x collect.TeamLoad) teamLoadView {
	return teamLoadView{
		Team:       teamViewOf(x.Team),
		Collectors: viewsOf(x.Collectors, collectorViewOf),
		Open:       x.Open,
		Capacity:   x.Capacity,
	}
}

// teamView is the API's form of sqlstore.Team.
type teamView struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

func teamViewOf(x sqlstore.Team) teamView {
	return teamView{
		ID:        x.ID,
		Name:      x.Name,
		CreatedAt: x.CreatedAt,
	}
}

// collectorView is the API's form of sqlstore.Collector.
type collectorView struct {
	casework.Collector
	UserID    int64     `json:"user_id"`
	TeamID    int64     `json:"team_id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func collectorViewOf(x sqlstore.Collector) collectorView {
	return collectorView{
		Collector: x.Collector,
		UserID:    x.UserID,
		TeamID:    x.TeamID,
		CreatedAt: x.CreatedAt,
		UpdatedAt: x.UpdatedAt,
	}
}

// agencyView is the API's form of sqlstore.Agency.
type agencyView struct {
	casework.Agency
	ContractStart date.Date `json:"contract_start,omitzero"`
	ContractEnd   date.Date `json:"contract_end,omitzero"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func agencyViewOf(x sqlstore.Agency) agencyView {
	return agencyView{
		Agency:        x.Agency,
		ContractStart: x.ContractStart,
		ContractEnd:   x.ContractEnd,
		CreatedAt:     x.CreatedAt,
		UpdatedAt:     x.UpdatedAt,
	}
}

// store is the collector a create or update request asks for.
func (v collectorView) store() sqlstore.Collector {
	return sqlstore.Collector{Collector: v.Collector, UserID: v.UserID, TeamID: v.TeamID, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}

// store is the agency a create or update request asks for.
func (v agencyView) store() sqlstore.Agency {
	return sqlstore.Agency{Agency: v.Agency, ContractStart: v.ContractStart, ContractEnd: v.ContractEnd,
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}
