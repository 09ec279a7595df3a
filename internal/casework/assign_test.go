package casework

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

var asOf = date.MustParse("2026-04-01")

func col(id int64, buckets string, capacity, load int) Collector {
	return Collector{ID: id, Buckets: strings.Fields(buckets), Languages: []string{"zh"}, Capacity: capacity, Load: load, Active: true}
}

func agency(id int64, commission string, capacity, load int) Agency {
	return Agency{ID: id, Whitelisted: true, Commission: decimal.MustParse(commission), Capacity: capacity, Load: load}
}

func placement() *Placement { return &Placement{MaxCommission: decimal.MustParse("0.30"), Days: 90} }

func newCase(id int64, bucket string) CaseView {
	return CaseView{CaseID: id, BorrowerID: id, Bucket: bucket, Language: "zh-CN", Balance: money.Yuan(1000)}
}

func owned(c CaseView, o Owner, daysAgo int) CaseView {
	c.Owner, c.OwnerSince = o, asOf.AddDays(-daysAgo)
	return c
}

func collector(id int64) Owner   { return Owner{ToCollector, id} }
func agencyOwner(id int64) Owner { return Owner{ToAgency, id} }

func TestAssign(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	m1pair := []Collector{col(1, "M1", 10, 5), col(2, "M1", 10, 2)}
	tests := []struct {
		name       string
		cases      []CaseView
		collectors []Collector
		agencies   []Agency
		want       []Owner
		wantCodes  []string
	}{
		{"continuity beats load", []CaseView{owned(newCase(1, "M1"), collector(1), 3)}, m1pair, nil,
			[]Owner{collector(1)}, []string{ReasonContinuity}},
		{"new case to the least loaded", []CaseView{newCase(1, "M1")}, m1pair, nil,
			[]Owner{collector(2)}, []string{ReasonNewCase}},
		{"load is compared as a share of capacity", []CaseView{newCase(1, "M1")}, []Collector{col(1, "M1", 10, 4), col(2, "M1", 4, 2)}, nil,
			[]Owner{collector(1)}, []string{ReasonNewCase}},
		{"ties go to the lower id", []CaseView{newCase(1, "M1")}, []Collector{col(2, "M1", 10, 3), col(1, "M1", 10, 3)}, nil,
			[]Owner{collector(1)}, []string{ReasonNewCase}},
		{"13 days without progress stays", []CaseView{owned(newCase(1, "M1"), collector(1), 13)}, m1pair, nil,
			[]Owner{collector(1)}, []string{ReasonContinuity}},
		{"14 days without progress rotates (养案)", []CaseView{owned(newCase(1, "M1"), collector(2), 14)}, m1pair, nil,
			[]Owner{collector(1)}, []string{ReasonRotated}},
		{"recent progress resets the clock", []CaseView{func() CaseView {
			c := owned(newCase(1, "M1"), collector(1), 30)
			c.LastProgress = asOf.AddDays(-2)
			return c
		}()}, m1pair, nil, []Owner{collector(1)}, []string{ReasonContinuity}},
		{"rotation with no one else keeps the owner", []CaseView{owned(newCase(1, "M1"), collector(1), 20)}, []Collector{col(1, "M1", 10, 0), col(2, "M2", 10, 0)}, nil,
			[]Owner{collector(1)}, []string{ReasonNoAlternative}},
		{"inactive owner", []CaseView{owned(newCase(1, "M1"), collector(1), 1)}, []Collector{{ID: 1, Capacity: 10}, col(2, "M1", 10, 9)}, nil,
			[]Owner{collector(2)}, []string{ReasonOwnerInactive}},
		{"unknown owner", []CaseView{owned(newCase(1, "M1"), collector(99), 1)}, m1pair, nil,
			[]Owner{collector(2)}, []string{ReasonOwnerInactive}},
		{"rolled to M2 moves to the M2 team", []CaseView{owned(newCase(1, "M2"), collector(1), 1)}, append(m1pair, col(3, "M2", 10, 0)), nil,
			[]Owner{collector(3)}, []string{ReasonSkillsChanged}},
		{"language must match", []CaseView{func() CaseView { c := newCase(1, "M1"); c.Language = "en"; return c }()},
			append(m1pair, Collector{ID: 3, Languages: []string{"zh", "en"}, Capacity: 10, Load: 9, Active: true}), nil,
			[]Owner{collector(3)}, []string{ReasonNewCase}},
		{"region must match", []CaseView{func() CaseView { c := newCase(1, "M1"); c.Region = "浙江省"; return c }()},
			[]Collector{{ID: 1, Regions: []string{"广东省"}, Capacity: 10, Active: true}, {ID: 2, Regions: []string{"浙江省"}, Capacity: 10, Load: 8, Active: true}}, nil,
			[]Owner{collector(2)}, []string{ReasonNewCase}},
		{"restricted queue needs a listed collector", []CaseView{func() CaseView { c := newCase(1, "M1"); c.Queue = "specialist"; return c }()},
			append(m1pair, Collector{ID: 4, Queues: []string{"specialist"}, Capacity: 5, Load: 4, Active: true}), nil,
			[]Owner{collector(4)}, []string{ReasonNewCase}},
		{"open queue for collectors without a queue list", []CaseView{func() CaseView { c := newCase(1, "M1"); c.Queue = "early"; return c }()},
			append(m1pair, Collector{ID: 4, Queues: []string{"specialist"}, Capacity: 5, Active: true}), nil,
			[]Owner{collector(2)}, []string{ReasonNewCase}},
		{"everyone full: unassigned", []CaseView{newCase(1, "M1")}, []Collector{col(1, "M1", 5, 5), col(2, "M1", 2, 2)}, nil,
			[]Owner{{}}, []string{ReasonNoCollector}},
		{"capacity counts cases assigned in the same run, largest balance first",
			[]CaseView{newCase(1, "M1"), func() CaseView { c := newCase(2, "M1"); c.Balance = money.Yuan(9000); return c }(), newCase(3, "M1")},
			[]Collector{col(1, "M1", 1, 0), col(2, "M1", 2, 1)}, nil,
			[]Owner{collector(2), collector(1), {}}, []string{ReasonNewCase, ReasonNewCase, ReasonNoCollector}},
		{"placement to the eligible agency", []CaseView{func() CaseView { c := newCase(1, "M4"); c.Placement = placement(); return c }()},
			m1pair, []Agency{{ID: 5, Commission: decimal.MustParse("0.10"), Capacity: 10}, agency(6, "0.35", 10, 0), agency(7, "0.25", 10, 3)},
			[]Owner{agencyOwner(7)}, []string{ReasonAgencyPlaced}},
		{"agency load share, then commission", []CaseView{func() CaseView { c := newCase(1, "M4"); c.Placement = placement(); return c }()},
			nil, []Agency{agency(8, "0.28", 10, 2), agency(9, "0.20", 20, 4)},
			[]Owner{agencyOwner(9)}, []string{ReasonAgencyPlaced}},
		{"full agencies: new case goes to a collector", []CaseView{func() CaseView { c := newCase(1, "M1"); c.Placement = placement(); return c }()},
			m1pair, []Agency{agency(7, "0.25", 3, 3)},
			[]Owner{collector(2)}, []string{ReasonNoAgency}},
		{"no agency: the collector keeps it", []CaseView{func() CaseView { c := owned(newCase(1, "M1"), collector(1), 2); c.Placement = placement(); return c }()},
			m1pair, nil, []Owner{collector(1)}, []string{ReasonNoAgency}},
		{"agency region", []CaseView{func() CaseView {
			c := newCase(1, "M4")
			c.Region, c.Placement = "广东省", placement()
			c.Placement.SameRegion = true
			return c
		}()}, nil, []Agency{agency(7, "0.25", 10, 0), func() Agency { g := agency(8, "0.25", 10, 5); g.Regions = []string{"广东省"}; return g }()},
			[]Owner{agencyOwner(8)}, []string{ReasonAgencyPlaced}},
		{"with the agency until recall", []CaseView{func() CaseView {
			c := owned(newCase(1, "M4"), agencyOwner(7), 30)
			c.RecallOn = asOf.AddDays(1)
			return c
		}()},
			m1pair, []Agency{agency(7, "0.25", 1, 5)}, []Owner{agencyOwner(7)}, []string{ReasonAgencyKept}},
		{"recalled on the recall date", []CaseView{func() CaseView { c := owned(newCase(1, "M1"), agencyOwner(7), 90); c.RecallOn = asOf; return c }()},
			m1pair, []Agency{agency(7, "0.25", 10, 0)}, []Owner{collector(2)}, []string{ReasonAgencyRecalled}},
		{"recalled and placed with another agency", []CaseView{func() CaseView {
			c := owned(newCase(1, "M5"), agencyOwner(7), 90)
			c.RecallOn, c.Placement = asOf.AddDays(-1), placement()
			return c
		}()}, m1pair, []Agency{agency(7, "0.20", 10, 0), agency(8, "0.25", 10, 5)}, []Owner{agencyOwner(8)}, []string{ReasonAgencyRecalled}},
		{"agency off the whitelist", []CaseView{func() CaseView {
			c := owned(newCase(1, "M1"), agencyOwner(7), 10)
			c.RecallOn = asOf.AddDays(60)
			return c
		}()},
			m1pair, []Agency{{ID: 7, Capacity: 10}}, []Owner{collector(2)}, []string{ReasonAgencyRemoved}},
		{"locked", []CaseView{func() CaseView { c := owned(newCase(1, "M2"), collector(1), 100); c.Locked = true; return c }()},
			m1pair, nil, []Owner{collector(1)}, []string{ReasonLocked}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Assign(tt.cases, tt.collectors, tt.agencies, cfg, asOf)
			if len(got) != len(tt.cases) {
				t.Fatalf("got %d assignments for %d cases", len(got), len(tt.cases))
			}
			for i, a := range got {
				if a.CaseID != tt.cases[i].CaseID || a.From != tt.cases[i].Owner || a.To != tt.want[i] || a.Reason.Code != tt.wantCodes[i] {
					t.Errorf("case %d: → %v (%s), want → %v (%s)\n  %s\n  %s", a.CaseID, a.To, a.Reason.Code, tt.want[i], tt.wantCodes[i], a.Reason.ZH, a.Reason.EN)
				}
				if a.Reason.ZH == "" || a.Reason.EN == "" {
					t.Errorf("case %d: reason without text: %+v", a.CaseID, a.Reason)
				}
			}
		})
	}
}

func TestAssign_ReasonText(t *testing.T) {
	t.Parallel()
	cols := []Collector{{ID: 1, Name: "王芳", Buckets: []string{"M1"}, Capacity: 10, Active: true}, {ID: 2, Name: "李强", Buckets: []string{"M1"}, Capacity: 10, Load: 3, Active: true}}
	c := owned(newCase(1, "M1"), collector(1), 20)
	got := Assign([]CaseView{c}, cols, nil, DefaultConfig(), asOf)[0]
	wantZH := "案件在王芳处已20天无进展（上限14天），轮换以防养案：分配给负载最低的合格催收员李强（3/10）"
	wantEN := "No progress for 20 days with 王芳 (limit 14); rotating so no one sits on the case: assigned to 李强, the least loaded eligible collector (3/10)"
	if got.Reason.ZH != wantZH || got.Reason.EN != wantEN {
		t.Errorf("reason = %q / %q\nwant %q / %q", got.Reason.ZH, got.Reason.EN, wantZH, wantEN)
	}
	p := newCase(2, "M4")
	p.Placement = placement()
	got = Assign([]CaseView{p}, nil, []Agency{{ID: 7, Name: "华信", Whitelisted: true, Capacity: 5, Commission: decimal.MustParse("0.25")}}, DefaultConfig(), asOf)[0]
	if got.RecallOn != asOf.AddDays(90) || !strings.Contains(got.Reason.ZH, "委外给机构华信（佣金率0.25，2026-06-30回收）") {
		t.Errorf("placement = %+v", got)
	}
}

func TestAssign_Deterministic(t *testing.T) {
	t.Parallel()
	cases, cols := book(2000, 40)
	want := map[int64]Assignment{}
	for _, a := range Assign(cases, cols, nil, DefaultConfig(), asOf) {
		want[a.CaseID] = a
	}
	shuffled := append([]CaseView(nil), cases...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, a := range Assign(shuffled, cols, nil, DefaultConfig(), asOf) {
		if w := want[a.CaseID]; w != a {
			t.Fatalf("case %d: %+v after shuffling, %+v before", a.CaseID, a, w)
		}
	}
}

func TestAssign_BalancesLoad(t *testing.T) {
	t.Parallel()
	var cases []CaseView
	for i := range 100 {
		cases = append(cases, newCase(int64(i+1), "M1"))
	}
	cols := []Collector{col(1, "M1", 50, 0), col(2, "M1", 50, 0), col(3, "M1", 100, 0), col(4, "M1", 100, 30)}
	count := map[int64]int{}
	for _, a := range Assign(cases, cols, nil, DefaultConfig(), asOf) {
		count[a.To.ID]++
	}
	// 130 cases over 300 places end at about 0.43 of capacity each: 21–22,
	// 21–22, 43 and 30+13.
	for id, capacity := range map[int64]int{1: 50, 2: 50, 3: 100} {
		share := float64(count[id]) / float64(capacity)
		if share < 0.42 || share > 0.45 {
			t.Errorf("collector %d got %d cases (%.2f of capacity), want about 0.43", id, count[id], share)
		}
	}
	if count[4] < 12 || count[4] > 14 {
		t.Errorf("collector 4 (already at 30/100) got %d cases, want about 13", count[4])
	}
}
