package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// smsCodes maps gateway error codes to kinds: our documented protocol's
// generic codes, then the common ones of Aliyun (dysmsapi SendSms) and
// Tencent Cloud (SendSms), so that either works with a field mapping only.
// SMSConfig.Codes adds to and overrides this table. A code that is not
// listed is KindUnknown (retried) unless the HTTP status says more.
var smsCodes = map[string]Kind{
	// Generic codes (the protocol in doc.go; smsgw answers with these).
	"INVALID_NUMBER":       KindInvalidRecipient,
	"BLACKLISTED":          KindBlocked,
	"UNSUBSCRIBED":         KindBlocked,
	"CONTENT_REJECTED":     KindRejected,
	"TEMPLATE_INVALID":     KindRejected,
	"SIGN_INVALID":         KindRejected,
	"BAD_REQUEST":          KindRejected,
	"RATE_LIMITED":         KindRateLimited,
	"SERVICE_UNAVAILABLE":  KindUnavailable,
	"SYSTEM_ERROR":         KindUnavailable,
	"TIMEOUT":              KindTimeout,
	"SIGNATURE_INVALID":    KindAccount,
	"AUTH_FAILED":          KindAccount,
	"INSUFFICIENT_BALANCE": KindAccount,
	"DUPLICATE":            KindDuplicate,

	// Aliyun.
	"isv.MOBILE_NUMBER_ILLEGAL":       KindInvalidRecipient,
	"isv.BLACK_KEY_CONTROL_LIMIT":     KindRejected, // keyword blacklist in the content
	"isv.SMS_CONTENT_ILLEGAL":         KindRejected,
	"isv.SMS_TEMPLATE_ILLEGAL":        KindRejected,
	"isv.SMS_SIGNATURE_ILLEGAL":       KindRejected,
	"isv.TEMPLATE_MISSING_PARAMETERS": KindRejected,
	"isv.INVALID_PARAMETERS":          KindRejected,
	"isv.INVALID_JSON_PARAM":          KindRejected,
	"isv.PARAM_LENGTH_LIMIT":          KindRejected,
	"isv.MOBILE_COUNT_OVER_LIMIT":     KindRejected,
	"isv.BUSINESS_LIMIT_CONTROL":      KindRateLimited, // per-number flow control
	"isv.DAY_LIMIT_CONTROL":           KindRateLimited,
	"Throttling.User":                 KindRateLimited,
	"isv.AMOUNT_NOT_ENOUGH":           KindAccount,
	"isv.OUT_OF_SERVICE":              KindAccount,
	"isv.ACCOUNT_ABNORMAL":            KindAccount,
	"isv.ACCOUNT_NOT_EXISTS":          KindAccount,
	"isv.PRODUCT_UN_SUBSCRIPT":        KindAccount,
	"isv.DENY_IP_RANGE":               KindAccount,
	"isp.RAM_PERMISSION_DENY":         KindAccount,
	"SignatureDoesNotMatch":           KindAccount,
	"InvalidAccessKeyId.NotFound":     KindAccount,
	"isp.SYSTEM_ERROR":                KindUnavailable,
	"ServiceUnavailable":              KindUnavailable,

	// Tencent Cloud.
	"InvalidParameterValue.IncorrectPhoneNumber":         KindInvalidRecipient,
	"FailedOperation.PhoneNumberInBlacklist":             KindBlocked,
	"FailedOperation.ContainSensitiveWord":               KindRejected,
	"FailedOperation.TemplateIncorrectOrUnapproved":      KindRejected,
	"FailedOperation.SignatureIncorrectOrUnapproved":     KindRejected,
	"InvalidParameterValue.ContentLengthLimit":           KindRejected,
	"InvalidParameterValue.TemplateParameterFormatError": KindRejected,
	"LimitExceeded.PhoneNumberDailyLimit":                KindRateLimited,
	"LimitExceeded.PhoneNumberOneHourLimit":              KindRateLimited,
	"LimitExceeded.PhoneNumberThirtySecondLimit":         KindRateLimited,
	"LimitExceeded.PhoneNumberSameContentDailyLimit":     KindRateLimited,
	"LimitExceeded.DeliveryFrequencyLimit":               KindRateLimited,
	"RequestLimitExceeded":                               KindRateLimited,
	"FailedOperation.InsufficientBalanceInSmsPackage":    KindAccount,
	"AuthFailure.SignatureFailure":                       KindAccount,
	"AuthFailure.SecretIdNotFound":                       KindAccount,
	"UnauthorizedOperation.SmsSdkAppIdVerifyFail":        KindAccount,
	"InternalError.RequestTimeException":                 KindAccount, // our clock is off
	"InternalError.Timeout":                              KindTimeout,
	"InternalError.SendAndRecvFail":                      KindUnavailable,
}

// interpret reads the gateway's answer. It returns the biz_id when the
// message was accepted (or is a duplicate of one that was), else an *Error.
func (g *SMSGateway) interpret(status int, body []byte) (string, error) {
	f := g.cfg.Fields
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&doc) != nil {
		doc = nil
	}
	code := scalar(lookup(doc, f.Code))
	msg := scalar(lookup(doc, f.Message))
	bizID := scalar(lookup(doc, f.BizID))
	ok2xx := status >= 200 && status < 300
	if code == g.cfg.OKCode && ok2xx {
		return bizID, nil
	}
	kind, known := g.codes[code]
	switch {
	case kind == KindDuplicate:
		return bizID, nil
	case !known && !ok2xx:
		kind = httpKind(status)
	case !known:
		kind = KindUnknown
	}
	if code == "" {
		code = fmt.Sprintf("HTTP %d", status)
		if ok2xx && msg == "" {
			msg = "response has no " + f.Code + " field"
		}
	}
	return "", &Error{Channel: SMS, Kind: kind, Code: code, Message: msg}
}

// httpKind classifies an HTTP status that came without a known code.
func httpKind(status int) Kind {
	switch {
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status == http.StatusRequestTimeout || status == http.StatusGatewayTimeout:
		return KindTimeout
	case status >= 500:
		return KindUnavailable
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return KindAccount
	case status >= 400:
		return KindRejected
	}
	return KindUnknown
}

// lookup follows a dotted path ("a.b.0.c") through decoded JSON objects
// and arrays. It returns nil when the path does not exist.
func lookup(v any, path string) any {
	for key := range strings.SplitSeq(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// scalar renders a JSON string, number or boolean as a string; anything
// else is "".
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}
