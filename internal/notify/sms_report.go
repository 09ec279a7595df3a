package notify

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"accord/internal/errs"
)

// Report is one delivery status pushed by the SMS gateway (状态报告): what
// the carrier finally did with a message the gateway accepted.
type Report struct {
	OutID string
	// MessageID is the outbox id parsed back from OutID, or 0 when OutID
	// is not one of ours (wrong prefix, not a number).
	MessageID  int64
	ProviderID string // the gateway's biz_id
	Phone      string
	Status     Status // StatusDelivered or StatusFailed
	// Code is the carrier's status code as pushed: "DELIVRD", "UNDELIV",
	// "EXPIRED", "REJECTD", "MK:0001" … (or the error code field, when the
	// format has one and it is set).
	Code string
	At   time.Time // when the carrier reported; zero if the push has no time
}

// SMSReportFormat describes the JSON the gateway pushes with delivery
// reports. The body is an array of report objects or a single one; with
// List set, the array is found at that dotted path instead.
type SMSReportFormat struct {
	List    string // default "": the body itself
	OutID   string // default "out_id"
	BizID   string // default "biz_id"
	Phone   string // default "phone"
	Status  string // default "status"; a string code, or a boolean success flag
	ErrCode string // default "err_code"; optional
	Time    string // default "report_time"; see ParseSMSReport for formats
	// Delivered lists the status codes that mean delivered, compared
	// without case; default DELIVRD, DELIVERED, SUCCESS. Any other code
	// is StatusFailed. A boolean status true means delivered.
	Delivered []string
}

func (f SMSReportFormat) withDefaults() SMSReportFormat {
	f.OutID = or(f.OutID, "out_id")
	f.BizID = or(f.BizID, "biz_id")
	f.Phone = or(f.Phone, "phone")
	f.Status = or(f.Status, "status")
	f.ErrCode = or(f.ErrCode, "err_code")
	f.Time = or(f.Time, "report_time")
	if len(f.Delivered) == 0 {
		f.Delivered = []string{"DELIVRD", "DELIVERED", "SUCCESS"}
	}
	return f
}

// ParseSMSReport parses a delivery-report push in the default format:
//
//	[{"out_id":"42","biz_id":"9f…","phone":"+8613800138000",
//	  "status":"DELIVRD","report_time":"2026-03-10 09:00:05"}]
//
// report_time may be RFC 3339, "2006-01-02 15:04:05" or "20060102150405"
// (both China Standard Time, UTC+8, as Chinese gateways send them), or Unix
// seconds or milliseconds. It returns an Invalid error if the body is not
// JSON or a report lacks out_id or status.
func ParseSMSReport(body []byte) ([]Report, error) {
	return SMSReportFormat{}.withDefaults().parse(body, "")
}

// ParseReport parses a delivery-report push in the format configured for g
// (SMSConfig.Report), mapping out_ids back to outbox ids with OutIDPrefix.
func (g *SMSGateway) ParseReport(body []byte) ([]Report, error) {
	return g.cfg.Report.parse(body, g.cfg.OutIDPrefix)
}

func (f SMSReportFormat) parse(body []byte, prefix string) ([]Report, error) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, errs.Errorf(errs.Invalid, "SMS report is not JSON: %v", err)
	}
	if f.List != "" {
		doc = lookup(doc, f.List)
	}
	var items []any
	switch x := doc.(type) {
	case []any:
		items = x
	case map[string]any:
		items = []any{x}
	default:
		return nil, errs.Errorf(errs.Invalid, "SMS report holds no report objects.")
	}
	reports := make([]Report, 0, len(items))
	for i, item := range items {
		r, err := f.report(item, prefix)
		if err != nil {
			return nil, errs.Errorf(errs.Invalid, "SMS report %d: %s", i+1, err.Error())
		}
		reports = append(reports, r)
	}
	return reports, nil
}

func (f SMSReportFormat) report(item any, prefix string) (Report, error) {
	r := Report{
		OutID:      scalar(lookup(item, f.OutID)),
		ProviderID: scalar(lookup(item, f.BizID)),
		Phone:      scalar(lookup(item, f.Phone)),
		Code:       scalar(lookup(item, f.ErrCode)),
	}
	status := lookup(item, f.Status)
	code := scalar(status)
	if r.OutID == "" || code == "" {
		return Report{}, errs.Errorf(errs.Invalid, "%s and %s are required", f.OutID, f.Status)
	}
	r.Status = StatusFailed
	if b, ok := status.(bool); ok {
		if b {
			r.Status = StatusDelivered
		}
	} else {
		for _, d := range f.Delivered {
			if strings.EqualFold(code, d) {
				r.Status = StatusDelivered
			}
		}
		if r.Code == "" {
			r.Code = code
		}
	}
	if id, ok := strings.CutPrefix(r.OutID, prefix); ok {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
			r.MessageID = n
		}
	}
	at, err := reportTime(lookup(item, f.Time))
	if err != nil {
		return Report{}, err
	}
	r.At = at
	return r, nil
}

// chinaTime is China Standard Time. Mainland China has no daylight saving
// time, so a fixed zone is exact and needs no tzdata.
var chinaTime = time.FixedZone("CST", 8*60*60)

func reportTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, nil
	case json.Number:
		n, err := x.Int64()
		if err != nil {
			return time.Time{}, errs.Errorf(errs.Invalid, "report time %s is not whole seconds or milliseconds", x)
		}
		if n > 1e11 { // milliseconds: 1e11 seconds is the year 5138
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	case string:
		if x == "" {
			return time.Time{}, nil
		}
		if t, err := time.Parse(time.RFC3339, x); err == nil {
			return t.UTC(), nil
		}
		for _, layout := range []string{time.DateTime, "20060102150405"} {
			if t, err := time.ParseInLocation(layout, x, chinaTime); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, errs.Errorf(errs.Invalid, "report time %q is not in a known format", x)
	}
	return time.Time{}, errs.Errorf(errs.Invalid, "report time is neither a string nor a number")
}
