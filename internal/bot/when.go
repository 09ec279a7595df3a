package bot

import (
	"regexp"
	"strconv"
	"time"

	"accord/internal/date"
)

// A date rule recognises one kind of date expression in a normalised text
// and resolves it against the reference date (the day the message was
// written). The rules, with what each means (docs/BOT.md, "Dates"):
//
//	今天 today 0 · 明天 tomorrow +1 · 后天 "day after tomorrow" +2 · 大后天 +3 ·
//	昨天 yesterday −1 · 前天 −2
//	这周五/本周五     Friday of the current Monday–Sunday week (may be past)
//	周五/星期五/礼拜五, "Friday", "this Friday", "by Friday"
//	                  the next Friday on or after the reference date
//	下周五/下星期五, "next Friday"
//	                  Friday of the following Monday–Sunday week: on a
//	                  Thursday, 下周五 is 8 days later, not tomorrow
//	下下周五          Friday two weeks on
//	月底/月末, "end of the month"   last day of the reference month
//	下个月底, "end of next month"   last day of the next month
//	15号/15日, "the 15th"   the 15th of this month if it is today or later,
//	                  else of next month; a day the month lacks (31号 in
//	                  November) is that month's last day
//	下个月10号, "the 10th of next month"   next month (last day if shorter)
//	这个月10号/本月10号   this month, even if past
//	12月20号, "December 20"   the next such date on or after the reference
//	2026-12-20, 2026年12月20日   as written
//	元旦前, "before New Year"   Dec 31 of the reference year; 元旦 Jan 1 next
//	年底/年末, "end of the year", "New Year's Eve"   Dec 31 of the reference year
//	三天后/3天内, "in 3 days", "within 3 days"   +3; 两周后, "in two weeks" +14;
//	一个月后, "in a month"   the same day next month (clamped)
//
// Anything else that sounds like a time (发工资那天, 过几天, 下周, 下个月,
// 月初, 年后, payday, "soon", "next week") has no date: the bot asks.
type dateRule struct {
	re      *regexp.Regexp
	resolve func(m []string, ref date.Date, past bool) (date.Date, bool)
}

const (
	cnNum   = `[0-9]{1,2}|[一二两三四五六七八九十]{1,3}`
	enMonth = `(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?`
	enDay   = `(mon|tues|tue|wednes|wed|thurs|thu|fri|satur|sat|sun)(day)?`
	ord     = `(st|nd|rd|th)?`
)

var dateRules = []dateRule{
	{re(`(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})[日号]?`), func(m []string, ref date.Date, past bool) (date.Date, bool) {
		if m[1] == "" {
			m = append(m[:1], m[4:]...)
		}
		return ymd(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}},
	{re(`大后天`), offset(3)},
	{re(`后天|day after tomorrow`), offset(2)},
	{re(`明天|明日|明儿|\btomorrow\b|\btmrw?\b|\btomm?orr?ow\b`), offset(1)},
	{re(`今天|今日|今儿|今晚|今早|\btoday\b|\btonight\b`), offset(0)},
	{re(`现在就|马上就|立刻|立即|这就`), offset(0)},
	{re(`圣诞(节)?|christmas`), func(_ []string, ref date.Date, _ bool) (date.Date, bool) {
		return nextMonthDay(ref, 12, 25)
	}},
	{re(`大前天`), offset(-3)},
	{re(`前天`), offset(-2)},
	{re(`昨天|昨日|昨晚|\byesterday\b`), offset(-1)},
	{re(`(下下|下|这|本|上)?个?(?:周|星期|礼拜)([一二三四五六日天1-7])`), weekdayCN},
	{re(`\b(next|this|last|on|by|before|until|till|coming)?\s*` + enDay + `\b`), weekdayEN},
	{re(`(下个?月|下月)(?:底|末)|end of next month`), func(_ []string, ref date.Date, _ bool) (date.Date, bool) {
		return monthEnd(ref.AddMonthsClamped(1)), true
	}},
	{re(`(?:这个?月|本月)(?:底|末)|月底|月末|end of (?:the |this )?month|month[- ]?end`), func(_ []string, ref date.Date, _ bool) (date.Date, bool) {
		return monthEnd(ref), true
	}},
	{re(`(?:下个?月|下月)(` + cnNum + `)[号日]|\b(?:the )?(\d{1,2})` + ord + ` (?:of )?next month|next month on the (\d{1,2})` + ord), func(m []string, ref date.Date, past bool) (date.Date, bool) {
		return dayOfMonth(ref.AddMonthsClamped(1), num(first(m[1], m[2], m[4])))
	}},
	{re(`(?:这个?月|本月)(` + cnNum + `)[号日]|\b(?:the )?(\d{1,2})` + ord + ` (?:of )?this month`), func(m []string, ref date.Date, past bool) (date.Date, bool) {
		return dayOfMonth(ref, num(first(m[1], m[2])))
	}},
	{re(`(` + cnNum + `)月(` + cnNum + `)[号日]?`), func(m []string, ref date.Date, past bool) (date.Date, bool) {
		return nextMonthDay(ref, num(m[1]), num(m[2]))
	}},
	{re(`\b` + enMonth + ` (\d{1,2})` + ord + `\b|\b(\d{1,2})` + ord + ` (?:of )?` + enMonth), func(m []string, ref date.Date, past bool) (date.Date, bool) {
		if m[1] != "" {
			return nextMonthDay(ref, monthIndex(m[1]), atoi(m[2]))
		}
		return nextMonthDay(ref, monthIndex(m[6]), atoi(m[4]))
	}},
	{re(`(` + cnNum + `)[号日]|\bthe (\d{1,2})` + ord + `\b|\b(\d{1,2})(?:st|nd|rd|th)\b`), func(m []string, ref date.Date, past bool) (date.Date, bool) {
		if past {
			return nthDayPast(ref, num(first(m[1], m[2], m[4])))
		}
		return nthDay(ref, num(first(m[1], m[2], m[4])))
	}},
	{re(`元旦(?:之前|以前|前)|before (?:the )?new year(?:'s day)?\b`), func(_ []string, ref date.Date, _ bool) (date.Date, bool) {
		y, _, _ := ref.Parts()
		return date.Of(y, time.December, 31), true
	}},
	{re(`元旦|new year'?s day`), func(_ []string, ref date.Date, _ bool) (date.Date, bool) {
		y, _, _ := ref.Parts()
		return date.Of(y+1, time.January, 1), true
	}},
	{re(`(?:今年)?年底|(?:今年)?年末|end of (?:the |this )?year|year[- ]end|new year'?s eve`), func(_ []string, ref date.Date, _ bool) (date.Date, bool) {
		y, _, _ := ref.Parts()
		return date.Of(y, time.December, 31), true
	}},
	{re(`(` + cnNum + `)(天|个?(?:周|星期|礼拜)|个月)(?:后|之后|以后|内|之内|以内)`), func(m []string, ref date.Date, past bool) (date.Date, bool) {
		return after(ref, num(m[1]), m[2])
	}},
	{re(`\b(?:in|within) (a|an|one|two|three|four|five|six|seven|ten|\d{1,2}) (day|week|month)s?\b|\b(a|one|two|three|\d{1,2}) (day|week|month)s? from (?:now|today)`), func(m []string, ref date.Date, past bool) (date.Date, bool) {
		if m[1] == "" {
			return after(ref, enNum(m[3]), m[4])
		}
		return after(ref, enNum(m[1]), m[2])
	}},
}

// resolveDate returns the date of the first date expression in norm (the
// longest when two start at the same place), resolved against ref; with
// past, a bare weekday or day of the month (周二, "on Tuesday", 1号) is the
// latest one on or before ref, as for a payment already made. It also
// returns the byte spans of every date expression, which are not amounts.
func resolveDate(norm string, ref date.Date, past bool) (date.Date, [][2]int) {
	bestAt, bestEnd := len(norm)+1, 0
	var best date.Date
	var spans [][2]int
	for i, r := range dateRules {
		if !datePre[i].may(norm) {
			continue
		}
		for _, loc := range r.re.FindAllStringSubmatchIndex(norm, -1) {
			spans = append(spans, [2]int{loc[0], loc[1]})
			if loc[0] > bestAt || loc[0] == bestAt && loc[1] <= bestEnd {
				continue
			}
			m := make([]string, len(loc)/2)
			for i := range m {
				if loc[2*i] >= 0 {
					m[i] = norm[loc[2*i]:loc[2*i+1]]
				}
			}
			d, ok := r.resolve(m, ref, past)
			if !ok {
				continue
			}
			bestAt, bestEnd, best = loc[0], loc[1], d
		}
	}
	return best, spans
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// datePre holds each date rule's alternatives with their literals: rule i
// cannot match a text when !datePre[i].may(text).
var datePre = func() []*lex {
	pre := make([]*lex, len(dateRules))
	for i, r := range dateRules {
		pre[i] = newLex(r.re.String())
	}
	return pre
}()

func offset(n int) func([]string, date.Date, bool) (date.Date, bool) {
	return func(_ []string, ref date.Date, _ bool) (date.Date, bool) { return ref.AddDays(n), true }
}

// weekday numbers Monday 0 … Sunday 6.
func mondayOffset(d date.Date) int { return (int(d.Weekday()) + 6) % 7 }

func weekdayCN(m []string, ref date.Date, past bool) (date.Date, bool) {
	target := map[string]int{"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
		"1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}[m[2]]
	which := map[string]string{"下下": "next2", "下": "next", "这": "this", "本": "this", "上": "last"}[m[1]]
	if which == "" && past {
		which = "past"
	}
	return onWeekday(ref, target, which)
}

func weekdayEN(m []string, ref date.Date, past bool) (date.Date, bool) {
	days := map[string]int{"mon": 0, "tue": 1, "tues": 1, "wed": 2, "wednes": 2, "thu": 3, "thurs": 3, "fri": 4, "sat": 5, "satur": 5, "sun": 6}
	t, ok := days[m[2]]
	if !ok {
		return 0, false
	}
	if m[2] == "sun" && m[3] == "" || m[2] == "sat" && m[3] == "" || m[2] == "mon" && m[3] == "" && m[1] == "" {
		return 0, false // "sun", "sat", "mon" alone are too often other words
	}
	which := ""
	switch m[1] {
	case "next":
		which = "next"
	case "last":
		which = "last"
	case "", "on":
		if past {
			which = "past"
		}
	}
	return onWeekday(ref, t, which)
}

// onWeekday resolves weekday t (Monday 0) in the current week ("this"), the
// next ("next"), the one after ("next2"), the previous ("last"), or the next
// such day on or after ref ("").
func onWeekday(ref date.Date, t int, which string) (date.Date, bool) {
	monday := ref.AddDays(-mondayOffset(ref))
	switch which {
	case "this":
		return monday.AddDays(t), true
	case "next":
		return monday.AddDays(7 + t), true
	case "next2":
		return monday.AddDays(14 + t), true
	case "last":
		return monday.AddDays(-7 + t), true
	case "past":
		d := mondayOffset(ref) - t
		if d < 0 {
			d += 7
		}
		return ref.AddDays(-d), true
	}
	d := t - mondayOffset(ref)
	if d < 0 {
		d += 7
	}
	return ref.AddDays(d), true
}

func monthEnd(d date.Date) date.Date {
	y, m, _ := d.Parts()
	return date.Of(y, m+1, 0)
}

// dayOfMonth is day n of d's month, or its last day when the month is shorter.
func dayOfMonth(d date.Date, n int) (date.Date, bool) {
	if n < 1 || n > 31 {
		return 0, false
	}
	y, m, _ := d.Parts()
	end := monthEnd(d)
	if _, _, last := end.Parts(); n > last {
		return end, true
	}
	return date.Of(y, m, n), true
}

// nthDay resolves "15号": this month's 15th if not yet past, else next month's.
func nthDay(ref date.Date, n int) (date.Date, bool) {
	_, _, today := ref.Parts()
	if n < today {
		return dayOfMonth(ref.AddMonthsClamped(1), n)
	}
	d, ok := dayOfMonth(ref, n)
	if ok && d.Before(ref) { // 31号 clamped to the 30th, which is past
		return dayOfMonth(ref.AddMonthsClamped(1), n)
	}
	return d, ok
}

// nthDayPast resolves "15号" of a payment made: this month's 15th if it is
// not after ref, else last month's.
func nthDayPast(ref date.Date, n int) (date.Date, bool) {
	_, _, today := ref.Parts()
	if n > today {
		return dayOfMonth(ref.AddMonthsClamped(-1), n)
	}
	return dayOfMonth(ref, n)
}

// nextMonthDay resolves month/day to its next occurrence on or after ref.
func nextMonthDay(ref date.Date, month, day int) (date.Date, bool) {
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return 0, false
	}
	y, _, _ := ref.Parts()
	for yy := y; yy <= y+4; yy++ { // Feb 29 may be four years on
		d, ok := ymd(yy, month, day)
		if !ok {
			if month == 2 && day == 29 {
				continue
			}
			return 0, false
		}
		if !d.Before(ref) {
			return d, true
		}
	}
	return 0, false
}

func ymd(y, m, d int) (date.Date, bool) {
	if m < 1 || m > 12 || d < 1 {
		return 0, false
	}
	v := date.Of(y, time.Month(m), d)
	if _, mm, _ := v.Parts(); int(mm) != m {
		return 0, false
	}
	return v, true
}

func after(ref date.Date, n int, unit string) (date.Date, bool) {
	if n <= 0 || n > 366 {
		return 0, false
	}
	switch unit {
	case "天", "day":
		return ref.AddDays(n), true
	case "个月", "month":
		return ref.AddMonthsClamped(n), true
	}
	return ref.AddDays(7 * n), true // weeks
}

func monthIndex(s string) int {
	for i, p := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if len(s) >= 3 && s[:3] == p {
			return i + 1
		}
	}
	return 0
}

// num reads a small whole number written in digits or Chinese numerals.
func num(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	v, ok := numeral([]rune(s))
	if !ok {
		return 0
	}
	n, _, ok := v.Int64(0)
	if !ok {
		return 0
	}
	return int(n)
}

func enNum(s string) int {
	if n, ok := map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}[s]; ok {
		return n
	}
	return atoi(s)
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
