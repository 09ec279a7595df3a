package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"accord/internal/notify"
)

// gatewayStub answers every request with answer and hands the decoded
// request and its headers to the test.
func gatewayStub(t *testing.T, answer string) (url string, got func() (map[string]any, http.Header)) {
	t.Helper()
	var body map[string]any
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body, header = nil, r.Header.Clone()
		if err := json.Unmarshal(b, &body); err != nil {
			t.Errorf("request body %q: %v", b, err)
		}
		io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() (map[string]any, http.Header) { return body, header }
}

func TestSMSGateway_Config(t *testing.T) {
	t.Parallel()
	t.Run("TencentStyle", func(t *testing.T) {
		t.Parallel()
		url, got := gatewayStub(t, `{"Response":{"SendStatusSet":[{"Code":"Ok","SerialNo":"2640:1","PhoneNumber":"+8613800138000"}],"RequestId":"r1"}}`)
		s, err := notify.NewSMSGateway(notify.SMSConfig{
			URL: url, Token: "tok", Sign: "某某消费金融",
			Fields: notify.SMSFields{
				Phone: "PhoneNumber", Sign: "SignName", TemplateCode: "TemplateId",
				TemplateParams: "TemplateParamSet", OutID: "SessionContext",
				Code: "Response.SendStatusSet.0.Code", Message: "Response.SendStatusSet.0.Message",
				BizID: "Response.SendStatusSet.0.SerialNo",
			},
			OKCode: "Ok",
		})
		if err != nil {
			t.Fatal(err)
		}
		m := sms(3, "+8613800138000", "张先生，本期应还100.00元。")
		m.Template, m.Params = "1001", map[string]string{"1": "张先生", "2": "100.00"}
		r, err := s.Send(context.Background(), m)
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		if r.ProviderID != "2640:1" {
			t.Errorf("ProviderID = %q, want 2640:1", r.ProviderID)
		}
		body, h := got()
		want := map[string]any{
			"PhoneNumber": "+8613800138000", "SignName": "某某消费金融", "TemplateId": "1001",
			"TemplateParamSet": map[string]any{"1": "张先生", "2": "100.00"}, "SessionContext": "3",
		}
		if diff := cmp.Diff(want, body); diff != "" {
			t.Errorf("request body (-want +got):\n%s", diff)
		}
		if h.Get("Authorization") != "Bearer tok" || h.Get("X-Signature") != "" {
			t.Errorf("headers: Authorization %q, X-Signature %q; want the bearer token only",
				h.Get("Authorization"), h.Get("X-Signature"))
		}
	})
	t.Run("SignInContentNationalNumbers", func(t *testing.T) {
		t.Parallel()
		url, got := gatewayStub(t, `{"code":0,"msg":"ok","data":{"id":123}}`)
		s, err := notify.NewSMSGateway(notify.SMSConfig{
			URL: url, AppKey: "k", AppSecret: "s", Sign: sign, SignInContent: true, NationalNumbers: true,
			Fields: notify.SMSFields{Content: "msg", Message: "msg", BizID: "data.id"},
			OKCode: "0",
		})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Send(context.Background(), sms(4, "+8613800138000", "您好"))
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		if r.ProviderID != "123" {
			t.Errorf("ProviderID = %q, want 123", r.ProviderID)
		}
		body, h := got()
		want := map[string]any{"phone": "13800138000", "msg": sign + "您好", "out_id": "4"}
		if diff := cmp.Diff(want, body); diff != "" {
			t.Errorf("request body (-want +got):\n%s", diff)
		}
		if h.Get("X-App-Key") != "k" || len(h.Get("X-Signature")) != 64 || h.Get("X-Timestamp") == "" {
			t.Errorf("headers %v: want app key, timestamp and a hex SHA-256 signature", h)
		}
	})
	t.Run("Codes", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			answer string
			codes  map[string]notify.Kind
			want   notify.Kind // "" means accepted
		}{
			{`{"code":"DUPLICATE","biz_id":"b1"}`, nil, ""},
			{`{"code":"E1234","message":"号码格式错误"}`, map[string]notify.Kind{"E1234": notify.KindInvalidRecipient}, notify.KindInvalidRecipient},
			{`{"code":"BLACKLISTED"}`, map[string]notify.Kind{"BLACKLISTED": notify.KindRateLimited}, notify.KindRateLimited},
			{`{"code":"isv.MOBILE_NUMBER_ILLEGAL"}`, nil, notify.KindInvalidRecipient},
			{`{"code":"FailedOperation.PhoneNumberInBlacklist"}`, nil, notify.KindBlocked},
			{`{"code":"isv.AMOUNT_NOT_ENOUGH"}`, nil, notify.KindAccount},
			{`{"status":"sent"}`, nil, notify.KindUnknown},
			{`not json`, nil, notify.KindUnknown},
		}
		for _, tt := range tests {
			url, _ := gatewayStub(t, tt.answer)
			s, err := notify.NewSMSGateway(notify.SMSConfig{URL: url, Token: "t", Sign: sign, Codes: tt.codes})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Send(context.Background(), sms(1, "+8613800138000", "您好"))
			if got := notify.KindOf(err); got != tt.want {
				t.Errorf("answer %s: kind %q (%v), want %q", tt.answer, got, err, tt.want)
			}
		}
	})
}

func TestSignSMS(t *testing.T) {
	t.Parallel()
	// Computed independently: printf '1773104400\n{"a":1}' | openssl dgst -sha256 -hmac secret
	const want = "50aff9bf8c3fbcdca567e8bba60cfa45a40f134831d62efa66b48e10026793cf"
	got := notify.SignSMS("secret", "1773104400", []byte(`{"a":1}`))
	if got != want {
		t.Errorf("SignSMS = %s, want %s", got, want)
	}
}
