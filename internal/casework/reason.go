package casework

import (
	"fmt"

	"accord/internal/date"
)

// Reason is why a case has its owner: a stable code for reports and a
// sentence in Chinese and English for the case timeline.
type Reason struct {
	Code string `json:"code"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
}

// The reason codes.
const (
	ReasonLocked         = "locked"                  // manual assignment kept
	ReasonContinuity     = "continuity"              // stays with its collector
	ReasonAgencyKept     = "agency_kept"             // stays with its agency until recall
	ReasonNewCase        = "new_case"                // first owner
	ReasonOwnerInactive  = "owner_inactive"          // collector gone or inactive
	ReasonSkillsChanged  = "skills_changed"          // collector no longer matches (e.g. rolled to M2)
	ReasonRotated        = "rotated_no_progress"     // no progress for too long (养案)
	ReasonNoAlternative  = "rotation_no_alternative" // due to rotate, but no one else is eligible
	ReasonAgencyPlaced   = "agency_placed"           // placed with an agency (委外)
	ReasonNoAgency       = "no_agency_available"     // placement asked for, no agency eligible
	ReasonAgencyRecalled = "agency_recalled"         // placement reached its recall date
	ReasonAgencyRemoved  = "agency_removed"          // agency left the whitelist
	ReasonNoCollector    = "no_eligible_collector"   // no one with capacity can take it
)

// text is a sentence in both languages.
type text struct{ zh, en string }

func collectorName(c Collector) string {
	if c.Name != "" {
		return c.Name
	}
	return fmt.Sprintf("#%d", c.ID)
}

func agencyName(g Agency) string {
	if g.Name != "" {
		return g.Name
	}
	return fmt.Sprintf("#%d", g.ID)
}

func reasonLocked() Reason {
	return Reason{ReasonLocked, "主管手动分配，保持不变", "Assigned by hand by a supervisor; left as is"}
}

func reasonAgencyKept(g Agency, recall date.Date) Reason {
	n := agencyName(g)
	return Reason{ReasonAgencyKept,
		fmt.Sprintf("委外中，%s回收前由机构%s继续处理", recall, n),
		fmt.Sprintf("Placed with agency %s until recall on %s", n, recall)}
}

func reasonContinuity(c Collector, days int) Reason {
	n := collectorName(c)
	return Reason{ReasonContinuity,
		fmt.Sprintf("由催收员%s继续跟进（保持连续性，距上次进展%d天）", n, days),
		fmt.Sprintf("Kept with collector %s for continuity (%d days since progress)", n, days)}
}

// cause describes why c needs a new owner.
func (a *assigner) cause(c *CaseView, m move) text {
	owner := c.Owner.String()
	switch c.Owner.Kind {
	case ToCollector:
		if i, ok := a.colIdx[c.Owner.ID]; ok {
			owner = collectorName(a.collectors[i])
		}
	case ToAgency:
		if i, ok := a.agIdx[c.Owner.ID]; ok {
			owner = agencyName(a.agencies[i])
		}
	}
	switch m.why {
	case whyInactive:
		return text{fmt.Sprintf("原催收员%s已停用", owner), fmt.Sprintf("Collector %s is no longer active", owner)}
	case whySkills:
		return text{fmt.Sprintf("原催收员%s不再匹配本案（账龄%s、语言、地区或队列）", owner, c.Bucket),
			fmt.Sprintf("Collector %s no longer matches the case (bucket %s, language, region or queue)", owner, c.Bucket)}
	case whyStale:
		return text{fmt.Sprintf("案件在%s处已%d天无进展（上限%d天），轮换以防养案", owner, m.staleDays, a.cfg.RotateAfterDays),
			fmt.Sprintf("No progress for %d days with %s (limit %d); rotating so no one sits on the case", m.staleDays, owner, a.cfg.RotateAfterDays)}
	case whyRecall:
		return text{fmt.Sprintf("委外机构%s的委托已于%s到期，收回", owner, c.RecallOn),
			fmt.Sprintf("Placement with agency %s ended on %s; recalled", owner, c.RecallOn)}
	case whyRemoved:
		return text{fmt.Sprintf("委外机构%s已不在白名单，收回", owner), fmt.Sprintf("Agency %s is no longer whitelisted; recalled", owner)}
	case whyPlace:
		return text{"策略要求委外", "The strategy asks for agency placement"}
	}
	return text{"新案件", "New case"}
}

func withNoAgency(t text) text {
	return text{t.zh + "；无符合条件且有容量的委外机构", t.en + "; no eligible agency has capacity"}
}

var moveCode = map[why]string{
	whyNew: ReasonNewCase, whyInactive: ReasonOwnerInactive, whySkills: ReasonSkillsChanged, whyStale: ReasonRotated,
	whyRecall: ReasonAgencyRecalled, whyRemoved: ReasonAgencyRemoved, whyPlace: ReasonNoAgency,
}

func reasonToAgency(t text, w why, g Agency, recall date.Date) Reason {
	code := ReasonAgencyPlaced
	if w == whyRecall || w == whyRemoved {
		code = moveCode[w]
	}
	n := agencyName(g)
	return Reason{code,
		fmt.Sprintf("%s：委外给机构%s（佣金率%s，%s回收）", t.zh, n, g.Commission, recall),
		fmt.Sprintf("%s: placed with agency %s (commission %s, recall on %s)", t.en, n, g.Commission, recall)}
}

func reasonNoAgency(t text) Reason {
	t = withNoAgency(t)
	return Reason{ReasonNoAgency, t.zh + "，暂由原催收员继续跟进", t.en + "; stays with the current collector"}
}

// reasonToCollector explains a move to collector c, whose load was load.
// A new case the strategy wanted placed is coded no_agency_available.
func reasonToCollector(t text, w why, noAgency bool, c Collector, load int) Reason {
	n := collectorName(c)
	code := moveCode[w]
	if w == whyNew && noAgency {
		code = ReasonNoAgency
	}
	return Reason{code,
		fmt.Sprintf("%s：分配给负载最低的合格催收员%s（%d/%d）", t.zh, n, load, c.Capacity),
		fmt.Sprintf("%s: assigned to %s, the least loaded eligible collector (%d/%d)", t.en, n, load, c.Capacity)}
}

func reasonNoAlternative(t text) Reason {
	return Reason{ReasonNoAlternative, t.zh + "，但暂无其他合格催收员，暂不轮换",
		t.en + ", but no other eligible collector has capacity; not rotated"}
}

func reasonUnassigned(t text) Reason {
	return Reason{ReasonNoCollector, t.zh + "：暂无合格且有容量的催收员，待主管分配",
		t.en + ": no eligible collector has capacity; left for a supervisor"}
}
