package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"accord/internal/errs"
	"accord/internal/notify"
	"accord/internal/notify/smsgw"
)

func TestParseSMSReport(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 10, 1, 0, 5, 0, time.UTC) // 09:00:05 in Beijing
	tests := []struct {
		name string
		body string
		want []notify.Report
	}{
		{"array",
			`[{"out_id":"42","biz_id":"b1","phone":"+8613800138000","status":"DELIVRD","report_time":"2026-03-10 09:00:05"},
			  {"out_id":"43","biz_id":"b2","phone":"+8613900139000","status":"UNDELIV","err_code":"MK:0001","report_time":"2026-03-10 09:00:05"}]`,
			[]notify.Report{
				{OutID: "42", MessageID: 42, ProviderID: "b1", Phone: "+8613800138000", Status: notify.StatusDelivered, Code: "DELIVRD", At: at},
				{OutID: "43", MessageID: 43, ProviderID: "b2", Phone: "+8613900139000", Status: notify.StatusFailed, Code: "MK:0001", At: at},
			}},
		{"single object, RFC 3339",
			`{"out_id":"42","status":"delivered","report_time":"2026-03-10T09:00:05+08:00"}`,
			[]notify.Report{{OutID: "42", MessageID: 42, Status: notify.StatusDelivered, Code: "delivered", At: at}}},
		{"CMPP time",
			`[{"out_id":"42","status":"EXPIRED","report_time":"20260310090005"}]`,
			[]notify.Report{{OutID: "42", MessageID: 42, Status: notify.StatusFailed, Code: "EXPIRED", At: at}}},
		{"unix seconds",
			`[{"out_id":"42","status":"DELIVRD","report_time":1773104405}]`,
			[]notify.Report{{OutID: "42", MessageID: 42, Status: notify.StatusDelivered, Code: "DELIVRD", At: at}}},
		{"unix milliseconds",
			`[{"out_id":"42","status":"DELIVRD","report_time":1773104405000}]`,
			[]notify.Report{{OutID: "42", MessageID: 42, Status: notify.StatusDelivered, Code: "DELIVRD", At: at}}},
		{"no time, foreign out_id",
			`[{"out_id":"crm-7","status":"REJECTD"}]`,
			[]notify.Report{{OutID: "crm-7", Status: notify.StatusFailed, Code: "REJECTD"}}},
		{"empty", `[]`, []notify.Report{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := notify.ParseSMSReport([]byte(tt.body))
			if err != nil {
				t.Fatalf("ParseSMSReport: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reports (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSMSReport_Invalid(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		``,
		`not json`,
		`"DELIVRD"`,
		`[{"status":"DELIVRD"}]`,
		`[{"out_id":"42"}]`,
		`[{"out_id":"42","status":"DELIVRD","report_time":"yesterday"}]`,
		`[{"out_id":"42","status":"DELIVRD","report_time":1.5}]`,
	} {
		_, err := notify.ParseSMSReport([]byte(body))
		if errs.CodeOf(err) != errs.Invalid {
			t.Errorf("ParseSMSReport(%q) error = %v, want an Invalid error", body, err)
		}
	}
}

// TestSMSGateway_ParseReport reads an Aliyun-style push (boolean success,
// other field names, out_ids with a prefix).
func TestSMSGateway_ParseReport(t *testing.T) {
	t.Parallel()
	s, err := notify.NewSMSGateway(notify.SMSConfig{
		URL: "https://dysmsapi.example.com", Token: "t", Sign: sign, OutIDPrefix: "acc-",
		Report: notify.SMSReportFormat{Phone: "phone_number", Status: "success", BizID: "biz_id"},
	})
	if err != nil {
		t.Fatal(err)
	}
	body := `[{"phone_number":"13800138000","send_time":"2026-03-10 09:00:00","report_time":"2026-03-10 09:00:05",
	  "success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1","biz_id":"932702304080415357^0","out_id":"acc-42"},
	  {"phone_number":"13900139000","report_time":"2026-03-10 09:00:05","success":false,"err_code":"IC:0001","biz_id":"x","out_id":"acc-43"}]`
	got, err := s.ParseReport([]byte(body))
	if err != nil {
		t.Fatalf("ParseReport: %v", err)
	}
	at := time.Date(2026, 3, 10, 1, 0, 5, 0, time.UTC)
	want := []notify.Report{
		{OutID: "acc-42", MessageID: 42, ProviderID: "932702304080415357^0", Phone: "13800138000", Status: notify.StatusDelivered, Code: "DELIVERED", At: at},
		{OutID: "acc-43", MessageID: 43, ProviderID: "x", Phone: "13900139000", Status: notify.StatusFailed, Code: "IC:0001", At: at},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
}

// TestSMSGateway_ReportRoundTrip sends through the test gateway and reads
// its status push back.
func TestSMSGateway_ReportRoundTrip(t *testing.T) {
	t.Parallel()
	gw := smsgw.Start(t)
	s := newSMS(t, gw.URL())
	r, err := s.Send(context.Background(), sms(77, "+8613800138000", "您好"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 10, 1, 0, 5, 0, time.UTC)
	reports, err := s.ParseReport(gw.Report("UNDELIV", at, "77"))
	if err != nil {
		t.Fatal(err)
	}
	want := []notify.Report{{OutID: "77", MessageID: 77, ProviderID: r.ProviderID, Phone: "+8613800138000",
		Status: notify.StatusFailed, Code: "UNDELIV", At: at}}
	if diff := cmp.Diff(want, reports); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
}

func TestPermanent(t *testing.T) {
	t.Parallel()
	invalid := &notify.Error{Channel: notify.SMS, Kind: notify.KindInvalidRecipient, Code: "INVALID_NUMBER"}
	tests := []struct {
		name      string
		err       error
		permanent bool
		kind      notify.Kind
	}{
		{"nil", nil, false, ""},
		{"plain error", errors.New("boom"), false, notify.KindUnknown},
		{"context deadline", context.DeadlineExceeded, false, notify.KindUnknown},
		{"invalid recipient", invalid, true, notify.KindInvalidRecipient},
		{"wrapped", errors.Join(errors.New("send 42"), invalid), true, notify.KindInvalidRecipient},
		{"blocked", &notify.Error{Kind: notify.KindBlocked}, true, notify.KindBlocked},
		{"rejected", &notify.Error{Kind: notify.KindRejected}, true, notify.KindRejected},
		{"timeout", &notify.Error{Kind: notify.KindTimeout}, false, notify.KindTimeout},
		{"unavailable", &notify.Error{Kind: notify.KindUnavailable}, false, notify.KindUnavailable},
		{"rate limited", &notify.Error{Kind: notify.KindRateLimited}, false, notify.KindRateLimited},
		{"account", &notify.Error{Kind: notify.KindAccount}, false, notify.KindAccount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := notify.Permanent(tt.err); got != tt.permanent {
				t.Errorf("Permanent = %v, want %v", got, tt.permanent)
			}
			if got := notify.KindOf(tt.err); got != tt.kind {
				t.Errorf("KindOf = %q, want %q", got, tt.kind)
			}
		})
	}
}
