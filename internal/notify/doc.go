// Package notify delivers messages to borrowers: email through SMTP and SMS
// through an HTTP gateway. It is an edge: it knows nothing of cases or
// rules. The outbox (a table written in the same transaction as the action
// that creates a message) and the sender loop that re-checks the contact
// governor, waits for the borrower's allowed hours and retries, sit on top
// of the Sender interface declared here.
//
// # Delivery, idempotency and retries
//
// Every Message carries its outbox id, and every adapter turns it into an
// idempotency key the provider sees: the SMS out_id (gateways drop a second
// request with an out_id they already accepted) and the email Message-ID
// ("<accord.outbox.42@lender.example.cn>"), so a message sent again after a
// crash or a lost answer is recognisable. Send returns a Receipt (the
// provider accepted the message) or an *Error with a Kind:
//
//	kind               retry?  examples
//	timeout            yes     our deadline, gateway InternalError.Timeout
//	unavailable        yes     connection refused or reset, HTTP 5xx, SMTP 4xx
//	rate_limited       yes     HTTP 429, 流控 (isv.BUSINESS_LIMIT_CONTROL)
//	account            yes     bad key or signature, no balance, SMTP 535, TLS refused
//	unknown            yes     an unlisted code, a 2xx answer that is not JSON
//	invalid_recipient  no      invalid number (INVALID_NUMBER), SMTP 550 5.1.1
//	blocked            no      blacklisted or unsubscribed (退订), SMTP 5.7.x
//	rejected           no      content, template or signature refused, HTTP 4xx, SMTP 5xx
//
// Permanent(err) is true for the last three. Account errors are retried
// because the message is not at fault; they need an operator, so alert on
// them. Everything unexpected is retried: the idempotency key makes a retry
// safe, while a wrongly permanent failure would silently lose a message.
// An invalid_recipient failure is the contact log's invalid_number outcome.
//
// # Email
//
// NewSMTP sends one plain-text UTF-8 email per connection through
// github.com/wneessen/go-mail: base64 body, RFC 2047 subject, Date,
// Message-ID, Content-Language from Message.Lang, X-Accord-Outbox-Id. TLS is
// none, starttls (the default; the server must offer it) or tls (SMTPS).
// Tests run against a real mailpit server: scripts/mailpit.sh starts one on
// loopback and prints ACCORD_TEST_MAILPIT_SMTP and ACCORD_TEST_MAILPIT_API;
// without them the test skips, unless CI is set, when it fails.
//
// # SMS gateway protocol
//
// NewSMSGateway speaks a JSON-over-HTTPS protocol shaped like Aliyun's and
// Tencent Cloud's SMS APIs and the Chinese aggregators'. With the default
// settings (SMSFields, SMSHeaders, SMSReportFormat; every name can be
// changed) a send is:
//
//	POST {URL}
//	Content-Type: application/json; charset=utf-8
//	X-App-Key:    {AppKey}
//	X-Timestamp:  1773104400                  (Unix seconds)
//	X-Signature:  hex(HMAC-SHA256(AppSecret, X-Timestamp + "\n" + body))
//
//	{"phone":"+8613800138000","sign":"【某某消费金融】","content":"您好……","out_id":"42"}
//	or, for template SMS (模板短信):
//	{"phone":…,"sign":…,"template_code":"SMS_1001","template_params":{"name":"张先生"},"out_id":"42"}
//
// With Token set instead of AppKey/AppSecret the request carries
// "Authorization: Bearer {Token}" and no signature. SignInContent puts the
// signature in front of the content instead of in its own field;
// NationalNumbers sends "13800138000"; OutIDPrefix prefixes the out_id.
//
// The gateway answers JSON {"code":"OK","message":"…","biz_id":"…"}. A code
// other than OKCode is looked up in the built-in table (generic codes such
// as INVALID_NUMBER, BLACKLISTED, CONTENT_REJECTED, RATE_LIMITED,
// SIGNATURE_INVALID, DUPLICATE, plus Aliyun's and Tencent's common codes;
// see sms_codes.go) and then in SMSConfig.Codes, which wins. DUPLICATE
// (kind duplicate) counts as accepted. A code nobody knows is classified by
// the HTTP status, or is unknown. Response fields may be dotted paths, so a
// Tencent-style answer needs only
//
//	Fields: SMSFields{Code: "Response.SendStatusSet.0.Code", BizID: "Response.SendStatusSet.0.SerialNo"}, OKCode: "Ok"
//
// # Delivery reports
//
// The gateway later pushes what the carrier did (状态报告) to a callback URL.
// ParseSMSReport, or SMSGateway.ParseReport for a configured format, reads
// a JSON array (or one object) of
//
//	{"out_id":"42","biz_id":"…","phone":"+86…","status":"DELIVRD","report_time":"2026-03-10 09:00:05"}
//
// into Reports: DELIVRD (and DELIVERED, SUCCESS, or a boolean true) is
// StatusDelivered, anything else (UNDELIV, EXPIRED, REJECTD …) StatusFailed.
// Times without a zone are China Standard Time.
//
// A push is authenticated by the gateway's signature, the same scheme as a
// send, never by a user's API token (whoever holds a staff token could
// otherwise forge deliveries):
//
//	X-App-Key:   {AppKey}                     (informative)
//	X-Timestamp: 1773104400                  (Unix seconds)
//	X-Signature: hex(HMAC-SHA256(secret, X-Timestamp + "\n" + body))
//
// ReportAuth verifies it: the secret is the gateway's callback secret
// (ACCORD_SMS_REPORT_SECRET; by default the AppSecret), the timestamp must
// be within 5 minutes of our clock either way, and a push whose signature
// was already accepted within that window is refused as a replay (per
// process; recording a report is idempotent, so a replay to another node is
// harmless). Anything else is 401 at POST /api/v1/notify/sms-report.
//
// Package smsgw is a test gateway speaking this protocol over real HTTP;
// its pushes (SignReport, PushReport) are signed this way.
package notify
