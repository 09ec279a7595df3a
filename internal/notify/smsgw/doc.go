// Package smsgw is an SMS gateway for tests: a real HTTP server on
// 127.0.0.1 that speaks the protocol notify.SMSGateway uses with its default
// settings (see the notify package doc), the way Chinese SMS gateways
// (Aliyun, Tencent Cloud and the aggregators) work.
//
// It verifies the HMAC-SHA256 request signature and its timestamp, checks
// the number, signature (短信签名) and content, deduplicates by out_id as a
// real gateway does (a repeat answers OK with the first biz_id and is not
// sent again), and records what it accepted. It pushes delivery reports
// signed as a real gateway signs its callbacks (SignReport, PushReport).
// Tests make it misbehave:
//
//	gw := smsgw.Start(t)
//	gw.FailNext(2, http.StatusServiceUnavailable) // the next 2 requests get 503
//	gw.Reject("+8613800000000", "INVALID_NUMBER")  // this number is invalid
//	gw.DropResponses(1)                           // accept, then cut the connection
//	gw.Hang(time.Minute)                          // answer nothing until the client gives up
//
// It does not import notify: it is a second, independent implementation of
// the protocol, so a test that passes against it checks both sides.
package smsgw
