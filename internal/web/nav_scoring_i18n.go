package web

import "maps"

// scoringNavMessages is the navigation label of the scoring dashboard
// (/scoring, dashboard:read); it joins caseworkMessages.
var scoringNavMessages = map[string][2]string{
	"nav.scoring": {"评分监控", "Scoring"},
}

func init() { maps.Copy(caseworkMessages, scoringNavMessages) }
