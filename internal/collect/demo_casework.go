package collect

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// DemoCasework counts what LoadDemoCasework set up.
type DemoCasework struct {
	Teams, Collectors, Agencies int
	StrategyID                  int64
}

// demoTeam is one team of the demo department and the collectors in it.
type demoTeam struct {
	name    string
	buckets []string
	queues  []string
	users   []string // demo usernames whose collector joins the team
	names   []string // synthetic collectors
	share   int      // percent of the open book the team can hold
}

var demoTeams = []demoTeam{
	{name: "电催一组（M1）", buckets: []string{"M1"}, users: []string{"collector"}, share: 45,
		names: []string{"王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏"}},
	{name: "电催二组（M2–M3）", buckets: []string{"M2", "M3"}, share: 30,
		names: []string{"周杰", "吴婷", "徐强", "孙丽", "马超"}},
	{name: "后期组（M4+）", buckets: []string{"M4", "M5", "M6", "M7+"}, share: 60,
		names: []string{"朱军", "胡静", "郭涛", "何敏", "高峰"}},
	{name: "协商组", queues: []string{"negotiation", "disputes", "specialist"}, users: []string{"negotiator"}, share: 15,
		names: []string{"林晓", "罗婷"}},
	{name: "外访组", buckets: []string{"M3", "M4", "M5", "M6", "M7+"}, queues: []string{"field", "late"}, users: []string{"field_agent"},
		share: 5},
}

// LoadDemoCasework sets up a demo collections department over the demo
// portfolio: teams by stage, a collector for each demo collector,
// negotiator and field agent user plus about twenty synthetic collectors,
// two whitelisted agencies (the demo agency agent works for the first), and
// Accord's default strategy, published. Capacities are sized to the book.
// It does nothing when teams already exist.
func (s *Service) LoadDemoCasework(ctx context.Context) (DemoCasework, error) {
	by := System("demo")
	var res DemoCasework
	var delinquent int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		teams, err := tx.Teams(ctx)
		if err != nil || len(teams) > 0 {
			res.Teams = -1
			return err
		}
		ids, err := tx.NextCaseBorrowers(ctx, 0, 10_000_000)
		delinquent = len(ids)
		return err
	})
	if err != nil || res.Teams < 0 {
		return DemoCasework{}, err
	}
	for _, dt := range demoTeams {
		if err := s.demoTeam(ctx, by, dt, delinquent, &res); err != nil {
			return res, err
		}
	}
	if err := s.demoAgencies(ctx, by, delinquent, &res); err != nil {
		return res, err
	}
	raw, err := json.Marshal(strategy.DefaultDefinition())
	if err != nil {
		return res, err
	}
	v, err := s.CreateStrategyVersion(ctx, by, raw)
	if err != nil {
		return res, err
	}
	if _, err := s.PublishStrategy(ctx, by, v.ID); err != nil {
		return res, err
	}
	res.StrategyID = v.ID
	return res, nil
}

func (s *Service) demoTeam(ctx context.Context, by Actor, dt demoTeam, book int, res *DemoCasework) error {
	t, err := s.CreateTeam(ctx, by, dt.name)
	if err != nil {
		return err
	}
	res.Teams++
	n := len(dt.users) + len(dt.names)
	capacity := max(30, book*dt.share/100/max(n, 1)+10)
	add := func(name string, userID int64) error {
		c := sqlstore.Collector{Collector: casework.Collector{Name: name, Languages: []string{"zh"}, Buckets: dt.buckets,
			Queues: dt.queues, Capacity: capacity, Active: true}, UserID: userID, TeamID: t.ID}
		if _, err := s.SaveCollector(ctx, by, c); err != nil {
			return fmt.Errorf("demo collector %s: %w", name, err)
		}
		res.Collectors++
		return nil
	}
	for _, username := range dt.users {
		var u auth.User
		err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
			var err error
			u, err = tx.UserByUsername(ctx, username)
			return err
		})
		if notFoundErr(err) {
			continue
		}
		if err != nil {
			return err
		}
		name := u.DisplayName
		if name == "" {
			name = u.Username
		}
		if err := add(name, u.ID); err != nil {
			return err
		}
		if err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			_, err := tx.UpdateUser(ctx, u.ID, sqlstore.UserUpdate{TeamID: &t.ID})
			return err
		}); err != nil {
			return err
		}
	}
	for _, name := range dt.names {
		if err := add(name, 0); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) demoAgencies(ctx context.Context, by Actor, book int, res *DemoCasework) error {
	late := []string{"M4", "M5", "M6", "M7+"}
	for i, a := range []sqlstore.Agency{
		{Agency: casework.Agency{Name: "信达催收服务有限公司", Whitelisted: true, Capacity: max(20, book/8),
			Commission: decimal.MustParse("0.25"), Buckets: late}},
		{Agency: casework.Agency{Name: "华安资产管理有限公司", Whitelisted: true, Capacity: max(10, book/16),
			Commission: decimal.MustParse("0.28"), Buckets: late}},
	} {
		saved, err := s.SaveAgency(ctx, by, a)
		if err != nil {
			return err
		}
		res.Agencies++
		if i > 0 {
			continue
		}
		err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			u, err := tx.UserByUsername(ctx, "agency_agent")
			if notFoundErr(err) {
				return nil
			}
			if err != nil {
				return err
			}
			_, err = tx.UpdateUser(ctx, u.ID, sqlstore.UserUpdate{AgencyID: &saved.ID})
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
