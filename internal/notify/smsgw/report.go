package smsgw

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
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

// SignReport returns the headers that authenticate a delivery-report push
// of body signed at signedAt, the way the gateway signs its callbacks: the
// same scheme as a send request, with AppSecret:
//
//	X-App-Key:   AppKey
//	X-Timestamp: Unix seconds of signedAt
//	X-Signature: hex(HMAC-SHA256(AppSecret, X-Timestamp + "\n" + body))
func SignReport(body []byte, signedAt time.Time) http.Header {
	ts := strconv.FormatInt(signedAt.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(AppSecret))
	fmt.Fprintf(mac, "%s\n%s", ts, body)
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-App-Key", AppKey)
	h.Set("X-Timestamp", ts)
	h.Set("X-Signature", hex.EncodeToString(mac.Sum(nil)))
	return h
}

// PushReport posts a signed delivery report (see Report and SignReport) for
// the given out_ids to url, the callback a real gateway is configured with,
// signed at signedAt, and returns the response with its body read.
func (g *Gateway) PushReport(url, status string, at, signedAt time.Time, outIDs ...string) (*http.Response, []byte, error) {
	body := g.Report(status, at, outIDs...)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header = SignReport(body, signedAt)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(resp.Body)
	return resp, buf.Bytes(), err
}
