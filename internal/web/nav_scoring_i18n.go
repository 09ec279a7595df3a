package web

import "maps"

// scoringNavMessages are navigation labels added after the first wave: the
// scoring dashboard, offer policies and field visits; they join
// caseworkMessages.
var scoringNavMessages = map[string][2]string{
	"nav.scoring":        {"评分监控", "Scoring"},
	"nav.offer_policies": {"协商政策", "Offer policies"},
	"nav.visits_today":   {"今日外访", "Today's visits"},
	"nav.visits":         {"外访审批", "Visit approvals"},
}

func init() { maps.Copy(caseworkMessages, scoringNavMessages) }
