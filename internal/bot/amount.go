package bot

import (
	"strings"

	"github.com/govalues/decimal"

	"accord/internal/money"
)

// An amount is any sum of money the borrower states: promised, already paid
// or proposed per month. Rules (docs/BOT.md, "Amounts"):
//
//   - a number is a run of ASCII digits (with a decimal point and thousands
//     commas) and Chinese numerals with magnitudes (十 百 千 万 亿, k and w
//     for 千 and 万): 1500, 1,500, 1.5万, 2k, 两千, 三千五, 一万二, 八百;
//   - a number is not money when a unit that is not money follows it (号 日
//     月 期 年 岁 点 天 周 次 个 位 %, th, am, months, days, years,
//     instalments, times …), when an identifier precedes it (工号 编号 订单
//     电话 尾号 第 #, no., id, phone, order, case …), when it is a time
//     (3:30) or part of a date (12/25, 2026-12-20), when it has more than six
//     digits and no currency (a phone or an account number);
//   - a number made only of Chinese numerals counts only with a magnitude
//     (两千, not 一下) or a currency after it (五块);
//   - approximate and relative amounts are not amounts: 一千多, 两千来块,
//     几百, 一两千, 1000到2000, 一半, 全部, 剩下的;
//   - among several amounts, the first one a payment word governs (还 付 转
//     打 交 pay paid transfer …, or a per-month phrase) wins; else the first
//     with a currency or magnitude; else the first.
func extractAmount(norm string) found {
	rs := []rune(norm)
	var best, explicit, first *found
	for i := 0; i < len(rs); {
		if !numStart(rs, i) {
			i++
			continue
		}
		j := numEnd(rs, i)
		f, ok := candidate(rs, i, j)
		i = j
		if !ok {
			continue
		}
		switch {
		case f.tied && best == nil:
			best = &f
		case f.explicit && explicit == nil:
			explicit = &f
		case first == nil:
			first = &f
		}
	}
	for _, f := range []*found{best, explicit, first} {
		if f != nil {
			return *f
		}
	}
	return found{}
}

// found is an amount in a text.
type found struct {
	ok       bool
	amount   money.Amount
	explicit bool // a currency or a magnitude says it is money
	tied     bool // a payment word governs it
}

func numStart(rs []rune, i int) bool {
	r := rs[i]
	if r >= '0' && r <= '9' {
		return i == 0 || !isLatin(rs[i-1])
	}
	return isCnDigit(r) || r == '十'
}

// numEnd returns the end of the number starting at i.
func numEnd(rs []rune, i int) int {
	j := i
	for j < len(rs) {
		r := rs[j]
		switch {
		case r >= '0' && r <= '9', isCnDigit(r):
		case r == '十' || r == '百' || r == '千' || r == '万' || r == '亿':
		case (r == '.' || r == ',') && j+1 < len(rs) && rs[j+1] >= '0' && rs[j+1] <= '9' && j > i && rs[j-1] >= '0' && rs[j-1] <= '9':
			if r == ',' && !thousands(rs, j+1) {
				return j
			}
		case (r == 'k' || r == 'w') && j > i && (j+1 == len(rs) || !isLatin(rs[j+1])):
		default:
			return j
		}
		j++
	}
	return j
}

func thousands(rs []rune, i int) bool {
	n := 0
	for i+n < len(rs) && rs[i+n] >= '0' && rs[i+n] <= '9' {
		n++
	}
	return n == 3
}

func isLatin(r rune) bool { return r >= 'a' && r <= 'z' }

// candidate judges the number rs[i:j].
func candidate(rs []rune, i, j int) (found, bool) {
	span := rs[i:j]
	v, ok := numeral(span)
	if !ok {
		return found{}, false
	}
	after := strings.TrimLeft(string(rs[j:]), " ")
	before := strings.TrimRight(string(rs[max(0, i-12):i]), " ")
	ascii, magnitude := 0, false
	for _, r := range span {
		if r >= '0' && r <= '9' {
			ascii++
		} else if _, u := cnUnit[r]; u {
			magnitude = true
		}
	}
	currency := hasPrefixAny(after, currencyAfter) || hasSuffixAny(before, currencyBefore)
	perMonth := hasPrefixAny(after, perMonthAfter)
	if hasPrefixAny(string(rs[j:]), []string{"st", "nd", "rd", "th"}) {
		return found{}, false // the 15th
	}
	if hasPrefixAny(after, countAfter) || !perMonth && hasPrefixAny(after, notMoneyAfter) || hasSuffixAny(before, notMoneyBefore) ||
		hasSuffixAny(stripIs(before), notMoneyBefore) || hasSuffixAny(before, owed) {
		return found{}, false
	}
	if isCnDigit(span[0]) || span[0] == '十' {
		if ascii == 0 && !magnitude && !currency {
			return found{}, false
		}
	}
	if ascii == 0 && hasPrefixAny(after, holidayAfter) {
		return found{}, false // 十一之后: the National Day holiday
	}
	if ascii > 6 && !currency && !magnitude {
		return found{}, false
	}
	if rangeAfter(after) || rangeBefore(before) {
		return found{}, false
	}
	if v.Cmp(decimal.MustNew(1_000_000_000, 0)) > 0 {
		return found{}, false
	}
	if ascii == len(span) && hotlines[string(span)] {
		return found{}, false
	}
	return found{
		ok:       true,
		amount:   money.Round(v),
		explicit: currency || magnitude,
		tied:     hasAnyWithin(before, payWords) || perMonth,
	}, true
}

// rangeAfter reports whether a number is the low end of a range: 1000到2000.
func rangeAfter(after string) bool {
	for _, p := range []string{"到", "至", "~", "-", "或", "or ", "to "} {
		if rest, ok := strings.CutPrefix(after, p); ok {
			rest = strings.TrimLeft(rest, " ")
			return rest != "" && numStart([]rune(rest), 0)
		}
	}
	return false
}

func rangeBefore(before string) bool {
	for _, p := range []string{"到", "至", "~", "-", "或", " or", " to"} {
		if rest, ok := strings.CutSuffix(before, p); ok {
			rest = strings.TrimRight(rest, " ")
			rs := []rune(rest)
			return len(rs) > 0 && (rs[len(rs)-1] >= '0' && rs[len(rs)-1] <= '9' || isCnDigit(rs[len(rs)-1]) || cnUnit[rs[len(rs)-1]] > 0)
		}
	}
	return false
}

var (
	currencyAfter  = []string{"元", "块", "圆", "rmb", "yuan", "人民币", "kuai", "cny"}
	currencyBefore = []string{"¥", "rmb", "cny", "人民币", "$"}
	notMoneyAfter  = []string{"号", "日", "月", "个", "期", "年", "岁", "点", "时", "小时", ":", "分", "秒", "天", "周", "星期",
		"礼拜", "次", "位", "人", "口", "倍", "%", "楼", "层", "路", "公里", "米", "台", "部", "条", "家", "张", "份", "遍",
		"通", "多", "来", "几", "余", "折", "成", "届", "级", "/", "-", "am", "pm", "a.m", "p.m",
		"o'clock", "oclock", "month", "day", "week", "year", "yr", "time", "call", "instal", "payment", "percent", "people",
		"kid", "child", "minute", "min", "hour", "hr", "sec", "ish", "odd", "+", "后", "以后",
		"之后", "以前", "之前", "趟", "句", "声", "毛", "角"}
	countAfter     = []string{"monthly payments", "monthly instal", "payments", "instalments", "installments", "期", "个月"}
	notMoneyBefore = []string{"工号", "编号", "订单", "单号", "电话", "手机", "号码", "尾号", "卡号", "账号", "身份证", "第", "#",
		"验证码", "分机", "合同", "借据", "房", "no.", "no", "number", "id", "phone", "tel", "mobile", "ext", "order", "ref",
		"reference", "case", "loan", "account", "code", "room", "i'm", "i am", "im", "aged", "age", "at", "/",
		":", "-", "星期", "周", "礼拜", "几", "尾数", "后四位", "staff", "agent", "工牌", "年龄", "今年", "ends in", "ending in", "last four"}
	// hotlines are service numbers people quote: police, the banking
	// regulator's consumer line, the consumer association, city services.
	hotlines     = map[string]bool{"110": true, "120": true, "119": true, "12378": true, "12315": true, "12345": true, "12363": true}
	holidayAfter = []string{"之后", "以后", "后", "前", "假", "长假", "节"}
	// owed words quote the debt itself (借了5000, 还欠3000), which is not
	// an amount the borrower pays, paid or offers.
	owed          = []string{"欠", "欠你们", "欠了", "owe", "owe you", "owed", "borrowed", "借了", "借", "只借了", "变成", "变成了", "涨到", "要我还"}
	perMonthAfter = []string{"每月", "每个月", "一个月", "a month", "per month", "monthly", "each month", "every month", "/month", "/月"}
	payWords      = []string{"还", "付", "转", "打", "交", "缴", "凑", "存", "扣", "结清", "每月", "每个月", "月供", "一个月",
		"pay", "paid", "transfer", "send", "sent", "deposit", "wire", "put", "settle", "can do", "afford", "manage", "offer"}
)

// hasPrefixAny reports whether s starts with one of list; a Latin word of
// up to three letters must start s as a whole word ("am" does not start
// "amount").
func hasPrefixAny(s string, list []string) bool {
	for _, p := range list {
		if rest, ok := strings.CutPrefix(s, p); ok {
			if len(p) <= 3 && isLatin(rune(p[len(p)-1])) && rest != "" && isLatin(rune(rest[0])) {
				continue
			}
			return true
		}
	}
	return false
}

// hasSuffixAny reports whether s ends with one of list; a Latin word must
// end s as a whole word ("at" is not the end of "that").
func hasSuffixAny(s string, list []string) bool {
	for _, p := range list {
		if rest, ok := strings.CutSuffix(s, p); ok {
			if rest != "" && isLatin(rune(p[0])) && isLatin(rune(rest[len(rest)-1])) {
				continue
			}
			return true
		}
	}
	return false
}

func hasAnyWithin(s string, list []string) bool {
	for _, p := range list {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// stripIs drops a copula between an identifier and its number: 工号是8848,
// my id is 8848, 电话: 138….
func stripIs(before string) string {
	for _, p := range []string{"是", " is", ":", "为", "号是", " was"} {
		before = strings.TrimRight(strings.TrimSuffix(before, p), " ")
	}
	return before
}
