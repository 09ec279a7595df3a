package smsgw

import (
	"encoding/json"
	"time"
)

// chinaTime is China Standard Time (UTC+8, no daylight saving time), the
// zone Chinese gateways write report times in.
var chinaTime = time.FixedZone("CST", 8*60*60)

// Report returns the body of a delivery-report push for the accepted
// messages with the given out_ids, all with the carrier status code (such
// as "DELIVRD" or "UNDELIV") and the report time at:
//
//	[{"out_id":"42","biz_id":"gw00000001","phone":"+8613800138000",
//	  "status":"DELIVRD","report_time":"2026-03-10 09:00:05"}]
//
// An out_id the gateway never accepted is reported with an empty biz_id
// and phone.
func (g *Gateway) Report(status string, at time.Time, outIDs ...string) []byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	type item struct {
		OutID      string `json:"out_id"`
		BizID      string `json:"biz_id"`
		Phone      string `json:"phone"`
		Status     string `json:"status"`
		ReportTime string `json:"report_time"`
	}
	items := make([]item, 0, len(outIDs))
	for _, id := range outIDs {
		it := item{OutID: id, Status: status, ReportTime: at.In(chinaTime).Format(time.DateTime)}
		if i, ok := g.byOutID[id]; ok {
			it.BizID, it.Phone = g.accepted[i].BizID, g.accepted[i].Phone
		}
		items = append(items, it)
	}
	body, err := json.Marshal(items)
	if err != nil {
		panic(err) // strings only: cannot happen
	}
	return body
}
