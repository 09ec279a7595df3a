package storetest

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/strategy"
)

// RunCasework is the contract suite of the collections-cycle store methods
// (cases, events, tasks, teams, collectors, agencies, strategies,
// experiments, the nightly run's chunk reads, reports and the simulation's
// helpers), one fresh database per test.
func RunCasework(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"Teams", testCwTeams},
		{"Agencies", testCwAgencies},
		{"StrategyVersions", testCwStrategies},
		{"Experiments", testCwExperiments},
		{"Cases", testCwCases},
		{"CaseWork", testCwCaseWork},
		{"CaseEvents", testCwEvents},
		{"Tasks", testCwTasks},
		{"Chunk", testCwChunk},
		{"Reports", testCwReports},
		{"Simulation", testCwSim},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

var cwDay = date.MustParse("2026-03-10")

func cwTeam(t *testing.T, db *sqlstore.DB, name string) sqlstore.Team {
	t.Helper()
	tm := sqlstore.Team{Name: name}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateTeam(ctx, &tm) })
	return tm
}

func cwCollector(t *testing.T, db *sqlstore.DB, team int64, name string, user int64) sqlstore.Collector {
	t.Helper()
	c := sqlstore.Collector{Collector: casework.Collector{Name: name, Languages: []string{"zh"}, Regions: []string{},
		Buckets: []string{"M1", "M2"}, Queues: []string{}, Capacity: 10, Active: true}, UserID: user, TeamID: team}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateCollector(ctx, &c) })
	return c
}

// cwNewCase is an open case of borrower b.
func cwNewCase(b int64) sqlstore.Case {
	return sqlstore.Case{BorrowerID: b, Status: casework.Open, OpenedOn: cwDay, Bucket: "M1", BucketRank: 1, MaxBucketRank: 1,
		DPD: 5, Tier: classify.Low, Segment: classify.WillingAble, Overdue: money.Yuan(900), Balance: money.Yuan(9000),
		EV: money.Amount(b * 100), Flags: []string{"vulnerable"}, Products: []string{"CASH12"}, Language: "zh-CN",
		Region: "北京市", Loans: 1, HasPhone: true, Rule: "m1_call", RuleSince: cwDay, Queue: "early"}
}

func cwInsert(t *testing.T, db *sqlstore.DB, cs ...*sqlstore.Case) {
	t.Helper()
	write(t, db, func(tx *sqlstore.Tx) error { return tx.InsertCases(ctx, cs) })
	for _, c := range cs {
		if c.ID == 0 {
			t.Fatalf("InsertCases left borrower %d's case without an id", c.BorrowerID)
		}
	}
}

func testCwTeams(t *testing.T, db *sqlstore.DB) {
	early := cwTeam(t, db, "电催一组")
	late := cwTeam(t, db, "后期组")
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.CreateTeam(ctx, &sqlstore.Team{Name: "后期组"}) })
	wantCode(t, err, errs.Conflict)

	a := cwCollector(t, db, early.ID, "王芳", 7)
	cwCollector(t, db, early.ID, "李娜", 0)
	cwCollector(t, db, late.ID, "朱军", 0) // several collectors may have no user
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		c := sqlstore.Collector{Collector: casework.Collector{Name: "again", Capacity: 1}, UserID: 7, TeamID: early.ID}
		return tx.CreateCollector(ctx, &c)
	})
	wantCode(t, err, errs.Conflict)

	c1, c2 := cwNewCase(1), cwNewCase(2)
	c1.Owner = casework.Owner{Kind: casework.ToCollector, ID: a.ID}
	c2.Owner = c1.Owner
	cwInsert(t, db, &c1, &c2)

	read(t, db, func(tx *sqlstore.Tx) error {
		teams, err := tx.Teams(ctx)
		if err != nil || len(teams) != 2 || teams[0].Name != "后期组" {
			t.Errorf("Teams() = %+v, %v", teams, err)
		}
		list, err := tx.Collectors(ctx, sqlstore.CollectorFilter{TeamID: &early.ID})
		if err != nil || len(list) != 2 {
			t.Fatalf("Collectors(team) = %d, %v", len(list), err)
		}
		got, err := tx.CollectorByUser(ctx, 7)
		if err != nil {
			return err
		}
		want := a
		want.Load, want.Team = 2, "电催一组"
		if d := diff(want, got); d != "" {
			t.Errorf("CollectorByUser (-want +got):\n%s", d)
		}
		_, err = tx.CollectorByUser(ctx, 99)
		wantCode(t, err, errs.NotFound)
		_, err = tx.Collector(ctx, 999)
		wantCode(t, err, errs.NotFound)
		return nil
	})

	a.Active, a.Capacity, a.Queues, a.TeamID = false, 40, []string{"negotiation"}, late.ID
	write(t, db, func(tx *sqlstore.Tx) error { return tx.UpdateCollector(ctx, &a) })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Collector(ctx, a.ID)
		if err != nil {
			return err
		}
		if got.Active || got.Capacity != 40 || !slices.Equal(got.Queues, []string{"negotiation"}) || got.Team != "后期组" {
			t.Errorf("after update: %+v", got)
		}
		active := true
		list, err := tx.Collectors(ctx, sqlstore.CollectorFilter{Active: &active})
		if err != nil || len(list) != 2 {
			t.Errorf("active collectors = %d, %v", len(list), err)
		}
		return nil
	})
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.UpdateCollector(ctx, &sqlstore.Collector{Collector: casework.Collector{ID: 999}, TeamID: early.ID})
	})
	wantCode(t, err, errs.NotFound)
}

func testCwAgencies(t *testing.T, db *sqlstore.DB) {
	a := sqlstore.Agency{Agency: casework.Agency{Name: "信达催收", Whitelisted: true, Capacity: 50,
		Commission: decimal.MustParse("0.25"), Regions: []string{}, Buckets: []string{"M4", "M5"}}, ContractStart: cwDay, ContractEnd: cwDay.AddDays(365)}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateAgency(ctx, &a) })
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		return tx.CreateAgency(ctx, &sqlstore.Agency{Agency: casework.Agency{Name: "信达催收", Commission: decimal.One}})
	})
	wantCode(t, err, errs.Conflict)
	c := cwNewCase(3)
	c.Owner = casework.Owner{Kind: casework.ToAgency, ID: a.ID}
	cwInsert(t, db, &c)
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Agency(ctx, a.ID)
		if err != nil {
			return err
		}
		want := a
		want.Load = 1
		if d := diff(want, got); d != "" {
			t.Errorf("Agency (-want +got):\n%s", d)
		}
		_, err = tx.Agency(ctx, 999)
		wantCode(t, err, errs.NotFound)
		return nil
	})
	a.Whitelisted, a.Commission, a.ContractEnd = false, decimal.MustParse("0.3"), 0
	write(t, db, func(tx *sqlstore.Tx) error { return tx.UpdateAgency(ctx, &a) })
	read(t, db, func(tx *sqlstore.Tx) error {
		list, err := tx.Agencies(ctx)
		if err != nil || len(list) != 1 || list[0].Whitelisted || list[0].Commission.Cmp(decimal.MustParse("0.30")) != 0 ||
			!list[0].ContractEnd.IsZero() {
			t.Errorf("Agencies() = %+v, %v", list, err)
		}
		return nil
	})
}

func cwDefinition(t *testing.T, name string) json.RawMessage {
	t.Helper()
	d := strategy.DefaultDefinition()
	d.Name = name
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testCwStrategies(t *testing.T, db *sqlstore.DB) {
	var v1, v2, other sqlstore.StrategyVersion
	write(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.PublishedStrategy(ctx)
		wantCode(t, err, errs.NotFound)
		v1 = sqlstore.StrategyVersion{Name: "default", Definition: cwDefinition(t, "default"), CreatedBy: "supervisor"}
		v2 = sqlstore.StrategyVersion{Name: "default", Definition: cwDefinition(t, "default"), CreatedBy: "supervisor"}
		other = sqlstore.StrategyVersion{Name: "gentle", Definition: cwDefinition(t, "gentle")}
		for _, v := range []*sqlstore.StrategyVersion{&v1, &v2, &other} {
			if err := tx.CreateStrategyVersion(ctx, v); err != nil {
				return err
			}
		}
		return nil
	})
	if v1.Version != 1 || v2.Version != 2 || other.Version != 1 || v1.Status != sqlstore.StrategyDraft {
		t.Errorf("versions %d, %d, %d (status %s), want 1, 2, 1 draft", v1.Version, v2.Version, other.Version, v1.Status)
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.PublishStrategyVersion(ctx, v1.ID, "supervisor"); err != nil {
			return err
		}
		p, err := tx.PublishStrategyVersion(ctx, v2.ID, "admin")
		if err != nil || p.Status != sqlstore.StrategyPublished || p.PublishedBy != "admin" {
			t.Errorf("publish v2 = %+v, %v", p, err)
		}
		again, err := tx.PublishStrategyVersion(ctx, v2.ID, "admin")
		if err != nil || again.Status != sqlstore.StrategyPublished {
			t.Errorf("publishing the published version = %+v, %v", again, err)
		}
		_, err = tx.PublishStrategyVersion(ctx, v1.ID, "admin")
		wantCode(t, err, errs.Conflict) // retired
		_, err = tx.PublishStrategyVersion(ctx, 999, "admin")
		wantCode(t, err, errs.NotFound)
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		pub, err := tx.PublishedStrategy(ctx)
		if err != nil || pub.ID != v2.ID {
			t.Errorf("PublishedStrategy = %d, %v; want %d", pub.ID, err, v2.ID)
		}
		old, err := tx.StrategyVersion(ctx, v1.ID)
		if err != nil || old.Status != sqlstore.StrategyRetired || old.RetiredAt.IsZero() {
			t.Errorf("v1 = %+v, %v; want retired", old.Status, err)
		}
		if _, err := strategy.ParseDefinition(old.Definition); err != nil {
			t.Errorf("stored definition does not parse: %v", err)
		}
		list, err := tx.StrategyVersions(ctx, 0)
		if err != nil || len(list) != 3 || list[0].ID != other.ID {
			t.Errorf("StrategyVersions = %d, %v", len(list), err)
		}
		return nil
	})
}

func testCwExperiments(t *testing.T, db *sqlstore.DB) {
	var a, b sqlstore.StrategyVersion
	write(t, db, func(tx *sqlstore.Tx) error {
		a = sqlstore.StrategyVersion{Name: "default", Definition: cwDefinition(t, "default")}
		b = sqlstore.StrategyVersion{Name: "default", Definition: cwDefinition(t, "default")}
		if err := tx.CreateStrategyVersion(ctx, &a); err != nil {
			return err
		}
		return tx.CreateStrategyVersion(ctx, &b)
	})
	e := sqlstore.Experiment{Champion: a.ID, Challenger: b.ID, ChallengerShare: 0.25, Name: "softer SMS", StartedOn: cwDay, CreatedBy: "supervisor"}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateExperiment(ctx, &e) })
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		e2 := e
		return tx.CreateExperiment(ctx, &e2)
	})
	wantCode(t, err, errs.Conflict)
	rows := []sqlstore.ExperimentCase{
		{ExperimentID: e.ID, CaseID: 1, BorrowerID: 11, Arm: strategy.Champion, EnteredOn: cwDay, StartRank: 1, MaxRank: 2,
			Recovered: money.Yuan(100), Contacts: 3, Cost: 450, UpdatedOn: cwDay},
		{ExperimentID: e.ID, CaseID: 2, BorrowerID: 12, Arm: strategy.Challenger, EnteredOn: cwDay, StartRank: 1, MaxRank: 1,
			Cured: true, Recovered: money.Yuan(900), Contacts: 1, Cost: 5, UpdatedOn: cwDay},
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.SaveExperimentCases(ctx, rows); err != nil {
			return err
		}
		rows[0].Cured, rows[0].Recovered = true, money.Yuan(150)
		if err := tx.SaveExperimentCases(ctx, rows[:1]); err != nil {
			return err
		}
		if err := tx.SnapshotExperiment(ctx, e.ID, cwDay); err != nil {
			return err
		}
		return tx.SnapshotExperiment(ctx, e.ID, cwDay) // replaces
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.ActiveExperiment(ctx)
		if err != nil || got.ID != e.ID || got.ChallengerShare != 0.25 || got.StartedOn != cwDay {
			t.Errorf("ActiveExperiment = %+v, %v", got, err)
		}
		m, err := tx.ExperimentCases(ctx, e.ID, []int64{1, 2, 3})
		if err != nil || len(m) != 2 || !m[1].Cured || m[1].Recovered != money.Yuan(150) {
			t.Errorf("ExperimentCases = %+v, %v", m, err)
		}
		var outcomes []strategy.Outcome
		if err := tx.ExperimentOutcomes(ctx, e.ID, func(c sqlstore.ExperimentCase) error {
			outcomes = append(outcomes, c.Outcome())
			return nil
		}); err != nil {
			return err
		}
		if len(outcomes) != 2 || !outcomes[0].RolledForward || outcomes[1].RolledForward {
			t.Errorf("outcomes = %+v", outcomes)
		}
		days, err := tx.ExperimentDays(ctx, e.ID)
		if err != nil || len(days) != 2 || days[0].Arm != strategy.Challenger || days[1].Cured != 1 || days[1].RolledForward != 1 ||
			days[1].Recovered != money.Yuan(150) {
			t.Errorf("ExperimentDays = %+v, %v", days, err)
		}
		return nil
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.StopExperiment(ctx, e.ID, cwDay.AddDays(30)); err != nil {
			return err
		}
		wantCode(t, tx.StopExperiment(ctx, e.ID, cwDay), errs.Conflict)
		wantCode(t, tx.StopExperiment(ctx, 999, cwDay), errs.NotFound)
		_, err := tx.ActiveExperiment(ctx)
		wantCode(t, err, errs.NotFound)
		list, err := tx.Experiments(ctx)
		if err != nil || len(list) != 1 || list[0].Status != sqlstore.ExperimentStopped || list[0].StoppedOn != cwDay.AddDays(30) {
			t.Errorf("Experiments = %+v, %v", list, err)
		}
		return nil
	})
}

func testCwCases(t *testing.T, db *sqlstore.DB) {
	c1, c2, c3 := cwNewCase(1), cwNewCase(2), cwNewCase(3)
	c3.Bucket, c3.Tier, c3.Segment, c3.Queue = "M3", classify.High, classify.UnwillingAble, "late"
	cwInsert(t, db, &c1, &c2, &c3)
	dup := cwNewCase(1)
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.InsertCases(ctx, []*sqlstore.Case{&dup}) })
	wantCode(t, err, errs.Conflict)
	write(t, db, func(tx *sqlstore.Tx) error {
		return tx.AddCaseLoans(ctx, []sqlstore.CaseLoanRow{{CaseID: c1.ID, LoanID: 11, AddedOn: cwDay},
			{CaseID: c1.ID, LoanID: 12, AddedOn: cwDay}, {CaseID: c1.ID, LoanID: 11, AddedOn: cwDay}})
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Case(ctx, c1.ID)
		if err != nil {
			return err
		}
		want := c1
		want.LoanIDs = []int64{11, 12}
		if d := diff(want, got); d != "" {
			t.Errorf("Case (-want +got):\n%s", d)
		}
		_, err = tx.Case(ctx, 999)
		wantCode(t, err, errs.NotFound)
		return nil
	})

	// Closing a case through SaveCases frees the borrower for a new one.
	c1.LoanIDs = nil
	c1.Status, c1.ClosedOn, c1.CloseReason, c1.DPD = casework.Closed, cwDay.AddDays(3), casework.Cured, 0
	c2.DPD, c2.Overdue, c2.EV = 9, money.Yuan(1000), money.Yuan(5)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.SaveCases(ctx, []sqlstore.Case{c1, c2}) })
	again := cwNewCase(1)
	cwInsert(t, db, &again)

	open := casework.Open
	high := classify.High
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Case(ctx, c1.ID)
		if err != nil || got.Status != casework.Closed || got.CloseReason != casework.Cured || got.ClosedOn != cwDay.AddDays(3) {
			t.Errorf("closed case = %+v, %v", got, err)
		}
		list, total, err := tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, OrderByEV: true})
		if err != nil || total != 3 || list[0].ID != c2.ID {
			t.Errorf("open cases by EV: total %d, first %v, %v", total, list, err)
		}
		_, total, err = tx.Cases(ctx, sqlstore.CaseFilter{Tier: &high, Bucket: ptr("M3"), Queue: ptr("late")})
		if err != nil || total != 1 {
			t.Errorf("high M3 late cases = %d, %v", total, err)
		}
		_, total, err = tx.Cases(ctx, sqlstore.CaseFilter{Owner: &casework.Owner{}, BorrowerID: ptr(int64(1))})
		if err != nil || total != 2 {
			t.Errorf("unassigned cases of borrower 1 = %d, %v", total, err)
		}
		var seen []int64
		if err := tx.EachOpenCase(ctx, func(c sqlstore.Case) error {
			seen = append(seen, c.ID)
			return nil
		}); err != nil {
			return err
		}
		if !slices.Equal(seen, []int64{c2.ID, c3.ID, again.ID}) {
			t.Errorf("EachOpenCase = %v", seen)
		}
		return nil
	})
}

func testCwCaseWork(t *testing.T, db *sqlstore.DB) {
	team := cwTeam(t, db, "电催一组")
	col := cwCollector(t, db, team.ID, "王芳", 0)
	other := cwCollector(t, db, team.ID, "李娜", 0)
	me := casework.Owner{Kind: casework.ToCollector, ID: col.ID}
	cs := []sqlstore.Case{cwNewCase(1), cwNewCase(2), cwNewCase(3)}
	for i := range cs {
		cs[i].Owner, cs[i].EV = me, money.Yuan(int64(100*(i+1)))
	}
	cwInsert(t, db, &cs[0], &cs[1], &cs[2])
	write(t, db, func(tx *sqlstore.Tx) error {
		_, err := tx.InsertTasks(ctx, []sqlstore.Task{
			{CaseID: cs[0].ID, BorrowerID: 1, Kind: sqlstore.TaskCall, Queue: "early", Priority: 3, DueOn: cwDay, Assignee: me, DedupKey: "k1", CreatedOn: cwDay},
			{CaseID: cs[0].ID, BorrowerID: 1, Kind: sqlstore.TaskVisit, Queue: "field", Priority: 3, DueOn: cwDay, DedupKey: "k2", CreatedOn: cwDay},
		})
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, want := range []int64{cs[2].ID, cs[1].ID, cs[0].ID} {
			got, err := tx.NextCase(ctx, me, cwDay)
			if err != nil || got != want {
				t.Errorf("NextCase = %d, %v; want %d", got, err, want)
			}
		}
		_, err := tx.NextCase(ctx, me, cwDay)
		wantCode(t, err, errs.NotFound)
		if got, err := tx.NextCase(ctx, me, cwDay.AddDays(1)); err != nil || got != cs[2].ID {
			t.Errorf("NextCase next day = %d, %v", got, err)
		}
		due := cwDay.AddDays(3)
		hardship := classify.HardshipIllness
		err = tx.RecordCaseContact(ctx, cs[0].ID, sqlstore.CaseContactUpdate{At: t0, On: cwDay, Connected: true,
			PromiseDue: &due, PromiseAmount: money.Yuan(300), Hardship: &hardship, CostAdded: 150})
		if err != nil {
			return err
		}
		if err := tx.RecordCaseContact(ctx, cs[0].ID, sqlstore.CaseContactUpdate{At: t0, On: cwDay.AddDays(1), CostAdded: 150}); err != nil {
			return err
		}
		wantCode(t, tx.RecordCaseContact(ctx, 999, sqlstore.CaseContactUpdate{At: t0, On: cwDay}), errs.NotFound)
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		c, err := tx.Case(ctx, cs[0].ID)
		if err != nil {
			return err
		}
		if c.Attempts != 2 || c.Connected != 1 || c.LastConnectedOn != cwDay || c.LastProgressOn != cwDay ||
			c.PromiseDue != cwDay.AddDays(3) || c.PromiseAmount != money.Yuan(300) || c.Hardship != classify.HardshipIllness ||
			c.Cost != 300 || c.WorkedOn != cwDay.AddDays(1) || !c.LastContactAt.Equal(t0.Truncate(1000)) {
			t.Errorf("after contacts: %+v", c)
		}
		return nil
	})
	to := casework.Owner{Kind: casework.ToCollector, ID: other.ID}
	write(t, db, func(tx *sqlstore.Tx) error {
		before, err := tx.ReassignCases(ctx, []int64{cs[0].ID, cs[1].ID, 999}, to, cwDay, true)
		if err != nil || len(before) != 2 || before[0].ID != cs[0].ID || before[0].Owner != me {
			t.Errorf("ReassignCases returned %+v, %v", before, err)
		}
		return tx.SetCaseLock(ctx, cs[1].ID, false)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		c, err := tx.Case(ctx, cs[0].ID)
		if err != nil || c.Owner != to || !c.Locked || c.OwnerSince != cwDay {
			t.Errorf("reassigned case = %+v, %v", c.Owner, err)
		}
		tasks, err := tx.OpenTasks(ctx, []int64{cs[0].ID})
		if err != nil {
			return err
		}
		for _, tk := range tasks[cs[0].ID] {
			want := to
			if tk.Kind == sqlstore.TaskVisit {
				want = casework.Owner{}
			}
			if tk.Assignee != want {
				t.Errorf("task %s assignee = %v, want %v", tk.Kind, tk.Assignee, want)
			}
		}
		c, err = tx.Case(ctx, cs[1].ID)
		if err != nil || c.Locked {
			t.Errorf("unlocked case = %v, %v", c.Locked, err)
		}
		return nil
	})
}

func testCwEvents(t *testing.T, db *sqlstore.DB) {
	c := cwNewCase(1)
	cwInsert(t, db, &c)
	evs := []sqlstore.CaseEvent{
		{CaseID: c.ID, BorrowerID: 1, On: cwDay, Kind: "opened", ZH: "立案", EN: "Opened", DedupKey: "case:1:opened"},
		{CaseID: c.ID, BorrowerID: 1, On: cwDay, Kind: sqlstore.EventContact, Code: "connected", ZH: "接通", EN: "connected",
			Data: json.RawMessage(`{"x":1}`)},
		{CaseID: c.ID, BorrowerID: 1, On: cwDay.AddDays(-40), Kind: sqlstore.EventContact, Code: "no_answer"},
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		n, err := tx.AddCaseEvents(ctx, evs)
		if err != nil || n != 3 {
			t.Errorf("AddCaseEvents = %d, %v; want 3", n, err)
		}
		n, err = tx.AddCaseEvents(ctx, evs[:2]) // the keyed one again, and a note-like one
		if err != nil || n != 1 {
			t.Errorf("AddCaseEvents again = %d, %v; want 1 (the unkeyed one)", n, err)
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.CaseEvents(ctx, c.ID)
		if err != nil || len(got) != 4 || got[0].Code != "no_answer" || got[1].Kind != "opened" || got[1].DedupKey != "case:1:opened" {
			t.Errorf("CaseEvents = %+v, %v", got, err)
		}
		var data map[string]int
		if err := json.Unmarshal(got[2].Data, &data); err != nil || data["x"] != 1 {
			t.Errorf("event data = %s, %v", got[2].Data, err)
		}
		marks, err := tx.CaseContacts(ctx, []int64{c.ID}, cwDay.AddDays(-30))
		if err != nil || len(marks[c.ID]) != 2 || marks[c.ID][0].Outcome != "connected" {
			t.Errorf("CaseContacts = %+v, %v", marks, err)
		}
		return nil
	})
}

func testCwTasks(t *testing.T, db *sqlstore.DB) {
	c := cwNewCase(1)
	cwInsert(t, db, &c)
	me := casework.Owner{Kind: casework.ToCollector, ID: 5}
	tasks := []sqlstore.Task{
		{CaseID: c.ID, BorrowerID: 1, Kind: sqlstore.TaskCall, Queue: "early", Priority: 3, DueOn: cwDay, Assignee: me, Rule: "m1_call", DedupKey: "a", CreatedOn: cwDay},
		{CaseID: c.ID, BorrowerID: 1, Kind: sqlstore.TaskLegal, Queue: "legal", Priority: 4, DueOn: cwDay, Detail: "M6+", DedupKey: "b", CreatedOn: cwDay},
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		n, err := tx.InsertTasks(ctx, tasks)
		if err != nil || n != 2 {
			t.Errorf("InsertTasks = %d, %v", n, err)
		}
		n, err = tx.InsertTasks(ctx, tasks)
		if err != nil || n != 0 {
			t.Errorf("InsertTasks again = %d, %v; want 0", n, err)
		}
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		open, err := tx.OpenTasks(ctx, []int64{c.ID})
		if err != nil || len(open[c.ID]) != 2 || open[c.ID][0].Assignee != me || open[c.ID][1].Detail != "M6+" {
			t.Errorf("OpenTasks = %+v, %v", open, err)
		}
		list, total, err := tx.Tasks(ctx, sqlstore.TaskFilter{Queue: ptr("legal"), Assignee: &casework.Owner{}})
		if err != nil || total != 1 || list[0].Kind != sqlstore.TaskLegal {
			t.Errorf("legal queue tasks = %+v, %v", list, err)
		}
		return nil
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		open, err := tx.OpenTasks(ctx, []int64{c.ID})
		if err != nil {
			return err
		}
		id := open[c.ID][0].ID
		n, err := tx.CloseTasks(ctx, []int64{id}, sqlstore.TaskDone, "connected")
		if err != nil || n != 1 {
			t.Errorf("CloseTasks = %d, %v", n, err)
		}
		n, err = tx.CloseTasks(ctx, []int64{id}, sqlstore.TaskCancelled, "again")
		if err != nil || n != 0 {
			t.Errorf("CloseTasks on a closed task = %d, %v; want 0", n, err)
		}
		done := sqlstore.TaskDone
		list, _, err := tx.Tasks(ctx, sqlstore.TaskFilter{CaseID: &c.ID, Status: &done})
		if err != nil || len(list) != 1 || list[0].Outcome != "connected" || list[0].ClosedAt.IsZero() {
			t.Errorf("done tasks = %+v, %v", list, err)
		}
		return nil
	})
}

// cwBook makes borrowers 1–3 with a loan each: borrower 1 and 3 past due,
// borrower 2 current, with positions as the nightly run stores them, and a
// payment on borrower 1's loan.
func cwBook(t *testing.T, db *sqlstore.DB) (bids []int64, loans []ledger.Loan) {
	t.Helper()
	for i := 1; i <= 3; i++ {
		b := mustBorrower(t, db, i)
		bids = append(bids, b)
		loans = append(loans, mustLoan(t, db, b, i, date.MustParse("2026-02-15")))
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		p := ledger.Payment{ExternalID: "P-CW-1", LoanID: loans[0].ID, Amount: money.Yuan(100), PaidOn: cwDay.AddDays(-2), ReceivedAt: t0}
		if err := tx.CreatePayment(ctx, &p); err != nil {
			return err
		}
		var rows []sqlstore.PositionRow
		for i, l := range loans {
			pos := ledger.Position{LoanID: l.ID, AsOf: cwDay, OutstandingPrincipal: money.Yuan(9000), PaidInstallments: 0}
			if i == 1 { // current: the first installment paid, the second due on the 15th
				pos.PaidInstallments, pos.NextDue = 1, date.MustParse("2026-03-15")
			} else {
				pos.DPD, pos.OldestUnpaidDue, pos.OverduePrincipal, pos.OverdueInstallments = 23, date.MustParse("2026-02-15"), 800_00, 1
			}
			rows = append(rows, sqlstore.PositionRow{Position: pos, BorrowerID: l.BorrowerID, Bucket: "M1"})
		}
		return tx.SavePositions(ctx, rows)
	})
	return bids, loans
}

func testCwChunk(t *testing.T, db *sqlstore.DB) {
	bids, loans := cwBook(t, db)
	// Borrower 2 is current but has an open case (it closes tonight).
	c2 := cwNewCase(bids[1])
	cwInsert(t, db, &c2)
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.AddCaseLoans(ctx, []sqlstore.CaseLoanRow{{CaseID: c2.ID, LoanID: loans[1].ID, AddedOn: cwDay}}); err != nil {
			return err
		}
		if _, err := tx.InsertTasks(ctx, []sqlstore.Task{{CaseID: c2.ID, BorrowerID: bids[1], Kind: sqlstore.TaskCall, Queue: "early",
			Priority: 3, DueOn: cwDay, DedupKey: "t", CreatedOn: cwDay}}); err != nil {
			return err
		}
		if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{{CaseID: c2.ID, BorrowerID: bids[1], On: cwDay, Kind: sqlstore.EventContact,
			Code: "connected"}}); err != nil {
			return err
		}
		n, err := tx.AddCasePayments(ctx, []sqlstore.CasePayment{{PaymentID: 77, CaseID: c2.ID, BorrowerID: bids[1], LoanID: loans[1].ID,
			PaidOn: cwDay, Amount: 500, Bucket: "M1"}, {PaymentID: 77, CaseID: c2.ID, BorrowerID: bids[1], LoanID: loans[1].ID,
			PaidOn: cwDay, Amount: 500, Bucket: "M1"}})
		if err != nil || n != 1 {
			t.Errorf("AddCasePayments = %d, %v; want 1", n, err)
		}
		return nil
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		ids, err := tx.NextCaseBorrowers(ctx, 0, 10)
		if err != nil || !slices.Equal(ids, bids) {
			t.Errorf("NextCaseBorrowers = %v, %v; want %v", ids, err, bids)
		}
		ids, err = tx.NextCaseBorrowers(ctx, bids[0], 1)
		if err != nil || !slices.Equal(ids, bids[1:2]) {
			t.Errorf("NextCaseBorrowers(after first, 1) = %v, %v", ids, err)
		}
		ch, err := tx.LoadCaseChunk(ctx, bids, sqlstore.CaseChunkWindow{AsOf: cwDay, Recent: cwDay.AddDays(-29), Contacts: cwDay.AddDays(-29)})
		if err != nil {
			return err
		}
		b := ch.Borrowers[bids[0]]
		if b.Name == "" || b.Region != "北京市" || b.Phone != "+8613800000001" || !slices.Equal(b.Flags, []string{"vulnerable"}) ||
			b.Income != money.Yuan(12_000)+34 {
			t.Errorf("chunk borrower = %+v", b)
		}
		l := ch.Loans[bids[0]]
		if len(l) != 1 || l[0].Position.DPD != 23 || !l[0].Aged || l[0].NextInstallment != 930_00 || l[0].Status != ledger.Active {
			t.Errorf("chunk loans = %+v", l)
		}
		if c := ch.Cases[bids[1]]; c.ID != c2.ID || !slices.Equal(c.LoanIDs, []int64{loans[1].ID}) {
			t.Errorf("chunk case = %+v", c)
		}
		if len(ch.Payments[loans[0].ID]) != 1 || len(ch.Tasks[c2.ID]) != 1 || len(ch.Contacts[c2.ID]) != 1 ||
			len(ch.CasePayments[c2.ID]) != 1 {
			t.Errorf("chunk payments %v, tasks %v, contacts %v, case payments %v", ch.Payments, ch.Tasks, ch.Contacts, ch.CasePayments)
		}
		hist, err := tx.LoanHistories(ctx, []int64{loans[0].ID, loans[2].ID})
		if err != nil || len(hist) != 2 || len(hist[0].Schedule) != 12 || len(hist[0].Payments) != 1 || hist[1].Loan.ID != loans[2].ID {
			t.Errorf("LoanHistories = %d bundles, %v", len(hist), err)
		}
		return nil
	})
}

func testCwReports(t *testing.T, db *sqlstore.DB) {
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.SaveBucketTransitions(ctx, []sqlstore.BucketTransition{
			{LoanID: 1, On: cwDay, From: "M0", To: "M1", Outstanding: 100},
			{LoanID: 1, On: cwDay.AddDays(5), From: "M1", To: "M2", Outstanding: 90},
			{LoanID: 2, On: cwDay, From: "M0", To: "M1", Outstanding: 50},
			{LoanID: 3, On: cwDay.AddDays(40), From: "M1", To: "M2", Outstanding: 50},
		}); err != nil {
			return err
		}
		c1, c2, c3 := cwNewCase(1), cwNewCase(2), cwNewCase(3)
		c1.OpenedOn = cwDay.AddDays(-20)
		c3.Status, c3.CloseReason, c3.ClosedOn = casework.Closed, casework.Cured, cwDay.AddDays(2)
		if err := tx.InsertCases(ctx, []*sqlstore.Case{&c1, &c2, &c3}); err != nil {
			return err
		}
		_, err := tx.AddCasePayments(ctx, []sqlstore.CasePayment{
			{PaymentID: 1, CaseID: c1.ID, BorrowerID: 1, LoanID: 1, PaidOn: cwDay, Amount: 300, Bucket: "M1",
				Owner: casework.Owner{Kind: casework.ToCollector, ID: 4}, TeamID: 2},
			{PaymentID: 2, CaseID: c1.ID, BorrowerID: 1, LoanID: 1, PaidOn: cwDay.AddDays(1), Amount: 200, Bucket: "M2",
				Owner: casework.Owner{Kind: casework.ToCollector, ID: 4}, TeamID: 2},
			{PaymentID: 3, CaseID: c2.ID, BorrowerID: 2, LoanID: 2, PaidOn: cwDay.AddDays(60), Amount: 999, Bucket: "M1"},
		})
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		cells, err := tx.TransitionMatrix(ctx, cwDay, cwDay.AddDays(30))
		want := []sqlstore.TransitionCell{{From: "M0", To: "M1", Loans: 1, Outstanding: 50}, {From: "M0", To: "M2", Loans: 1, Outstanding: 90}}
		if d := diff(want, cells); err != nil || d != "" {
			t.Errorf("TransitionMatrix (-want +got):\n%s%v", d, err)
		}
		f, err := tx.CaseFlow(ctx, cwDay, cwDay.AddDays(30))
		if err != nil || f.OpenAtStart != 1 || f.Opened != 2 || f.Cured != 1 || f.ClosedOther != 0 {
			t.Errorf("CaseFlow = %+v, %v", f, err)
		}
		by, err := tx.CollectedBy(ctx, cwDay, cwDay.AddDays(30), sqlstore.ByOwner)
		if err != nil || len(by) != 1 || by[0].Key != "collector" || by[0].OwnerID != 4 || by[0].Amount != 500 || by[0].Payments != 2 {
			t.Errorf("CollectedBy owner = %+v, %v", by, err)
		}
		by, err = tx.CollectedBy(ctx, cwDay, cwDay.AddDays(30), sqlstore.ByBucket)
		if err != nil || len(by) != 2 || by[0].Key != "M1" || by[0].Amount != 300 {
			t.Errorf("CollectedBy bucket = %+v, %v", by, err)
		}
		by, err = tx.CollectedBy(ctx, cwDay, cwDay.AddDays(30), sqlstore.ByTeam)
		if err != nil || len(by) != 1 || by[0].OwnerID != 2 || by[0].Amount != 500 {
			t.Errorf("CollectedBy team = %+v, %v", by, err)
		}
		return nil
	})
}

func testCwSim(t *testing.T, db *sqlstore.DB) {
	bids, loans := cwBook(t, db)
	c := cwNewCase(bids[0])
	c.Owner, c.EV, c.PromiseDue, c.PromiseAmount = casework.Owner{Kind: casework.ToCollector, ID: 3}, 500, cwDay.AddDays(1), 900
	c3 := cwNewCase(bids[2])
	c3.Owner, c3.EV = casework.Owner{Kind: casework.ToCollector, ID: 3}, 900
	cwInsert(t, db, &c, &c3)
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.AddCaseLoans(ctx, []sqlstore.CaseLoanRow{{CaseID: c.ID, LoanID: loans[0].ID, AddedOn: cwDay}}); err != nil {
			return err
		}
		_, err := tx.InsertTasks(ctx, []sqlstore.Task{
			{CaseID: c.ID, BorrowerID: bids[0], Kind: sqlstore.TaskCall, Queue: "early", Priority: 3, DueOn: cwDay, Assignee: c.Owner, DedupKey: "1", CreatedOn: cwDay},
			{CaseID: c3.ID, BorrowerID: bids[2], Kind: sqlstore.TaskCall, Queue: "early", Priority: 3, DueOn: cwDay, Assignee: c.Owner, DedupKey: "2", CreatedOn: cwDay},
			{CaseID: c3.ID, BorrowerID: bids[2], Kind: sqlstore.TaskVisit, Queue: "field", Priority: 3, DueOn: cwDay, DedupKey: "3", CreatedOn: cwDay},
		})
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		due, err := tx.LoansDue(ctx, date.MustParse("2026-03-15"))
		if err != nil || len(due) != 1 || due[0].LoanID != loans[1].ID || due[0].Amount != 930_00 {
			t.Errorf("LoansDue = %+v, %v", due, err)
		}
		calls, err := tx.CallList(ctx)
		if err != nil || len(calls) != 2 || calls[0].CaseID != c3.ID || calls[1].CaseID != c.ID {
			t.Errorf("CallList = %+v, %v", calls, err)
		}
		var marks []sqlstore.CaseMark
		if err := tx.CaseMarks(ctx, cwDay.AddDays(100), func(m sqlstore.CaseMark) error {
			marks = append(marks, m)
			return nil
		}); err != nil {
			return err
		}
		if len(marks) != 2 || marks[0].WorstLoanID != loans[0].ID || marks[0].PromiseDue != cwDay.AddDays(1) || marks[1].WorstLoanID != 0 {
			t.Errorf("CaseMarks = %+v", marks)
		}
		return nil
	})
	path := filepath.Join(t.TempDir(), "copy.db")
	err := db.CopyTo(ctx, path)
	if db.Engine() == sqlstore.Postgres {
		wantCode(t, err, errs.Invalid)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.CopyTo(ctx, path), errs.Conflict)
}
