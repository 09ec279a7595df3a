package bot

import (
	"testing"

	"accord/internal/date"
)

func TestResolveDate(t *testing.T) {
	t.Parallel()
	const (
		thu   = "2026-12-03" // a Thursday
		wed   = "2026-12-16" // a Wednesday, after the 15th
		fri   = "2027-01-29" // a Friday near the end of January
		leap  = "2028-02-10" // February of a leap year
		nye   = "2026-12-31" // New Year's Eve, a Thursday
		nov30 = "2026-11-30" // a Monday, last day of a 30-day month
	)
	tests := []struct {
		ref, text, want string // want "" for no date
	}{
		{thu, "明天", "2026-12-04"},
		{thu, "后天", "2026-12-05"},
		{thu, "大后天", "2026-12-06"},
		{thu, "今天", "2026-12-03"},
		{thu, "昨天", "2026-12-02"},
		{thu, "下周五", "2026-12-11"}, // on a Thursday, next week's Friday, not tomorrow
		{thu, "这周五", "2026-12-04"},
		{thu, "周五", "2026-12-04"},
		{thu, "下星期一", "2026-12-07"},
		{thu, "下礼拜天", "2026-12-13"},
		{thu, "下下周一", "2026-12-14"},
		{thu, "这周一", "2026-11-30"}, // this week's Monday, already past
		{thu, "上周五", "2026-11-27"},
		{thu, "月底", "2026-12-31"},
		{thu, "下个月底", "2027-01-31"},
		{thu, "15号", "2026-12-15"},
		{thu, "3号", "2026-12-03"}, // today
		{thu, "2号", "2027-01-02"}, // passed this month: next month
		{thu, "十五号", "2026-12-15"},
		{thu, "下个月10号", "2027-01-10"},
		{thu, "这个月20号", "2026-12-20"},
		{thu, "12月20号", "2026-12-20"},
		{thu, "1月5号", "2027-01-05"}, // said in December: next January
		{thu, "元旦前", "2026-12-31"},
		{thu, "元旦", "2027-01-01"},
		{thu, "年底", "2026-12-31"},
		{thu, "三天后", "2026-12-06"},
		{thu, "两周后", "2026-12-17"},
		{thu, "一周内", "2026-12-10"},
		{thu, "一个月后", "2027-01-03"},
		{thu, "2027-02-03", "2027-02-03"},
		{thu, "2027年2月3日", "2027-02-03"},
		{thu, "发工资那天", ""},
		{thu, "过几天", ""},
		{thu, "下周", ""},
		{thu, "下个月", ""},
		{thu, "月初", ""},
		{thu, "tomorrow", "2026-12-04"},
		{thu, "next friday", "2026-12-11"},
		{thu, "this friday", "2026-12-04"},
		{thu, "by tuesday", "2026-12-08"},
		{thu, "end of the month", "2026-12-31"},
		{thu, "end of next month", "2027-01-31"},
		{thu, "in two weeks", "2026-12-17"},
		{thu, "in 3 days", "2026-12-06"},
		{thu, "the 15th", "2026-12-15"},
		{thu, "the 10th of next month", "2027-01-10"},
		{thu, "december 24", "2026-12-24"},
		{thu, "jan 8th", "2027-01-08"},
		{thu, "new year's eve", "2026-12-31"},
		{thu, "when i get paid", ""},
		{thu, "next week", ""},
		{wed, "15号", "2027-01-15"},
		{wed, "下周五", "2026-12-25"},
		{wed, "这周五", "2026-12-18"},
		{wed, "周一", "2026-12-21"},
		{fri, "月底", "2027-01-31"},
		{fri, "下个月底", "2027-02-28"},
		{fri, "下个月30号", "2027-02-28"}, // February has no 30th: its last day
		{fri, "下周五", "2027-02-05"},
		{fri, "这周五", "2027-01-29"},
		{fri, "后天", "2027-01-31"},
		{fri, "大后天", "2027-02-01"},
		{fri, "年底", "2027-12-31"},
		{fri, "元旦前", "2027-12-31"},
		{leap, "月底", "2028-02-29"},
		{leap, "29号", "2028-02-29"},
		{leap, "下个月底", "2028-03-31"},
		{leap, "两周后", "2028-02-24"},
		{leap, "2月29号", "2028-02-29"},
		{thu, "2月29号", "2028-02-29"}, // 2027 has none: the next one
		{nye, "明天", "2027-01-01"},
		{nye, "下周五", "2027-01-08"},
		{nye, "15号", "2027-01-15"},
		{nye, "月底", "2026-12-31"},
		{nye, "元旦前", "2026-12-31"},
		{nye, "下个月10号", "2027-01-10"},
		{nov30, "31号", "2026-11-30"}, // November has no 31st: its last day, today
		{nov30, "下个月31号", "2026-12-31"},
		{nov30, "月底", "2026-11-30"},
		{nov30, "下周五", "2026-12-11"},
		{nov30, "周五", "2026-12-04"},
	}
	for _, tt := range tests {
		t.Run(tt.ref+" "+tt.text, func(t *testing.T) {
			got, _ := resolveDate(normalize(tt.text), date.MustParse(tt.ref), false)
			if g := got.String(); g != tt.want {
				t.Errorf("resolveDate(%q, %s) = %q, want %q", tt.text, tt.ref, g, tt.want)
			}
		})
	}
}

func TestResolveDate_Past(t *testing.T) {
	t.Parallel()
	ref := date.MustParse("2026-12-03") // Thursday
	tests := []struct{ text, want string }{
		{"on tuesday", "2026-12-01"},
		{"周二", "2026-12-01"},
		{"周四", "2026-12-03"},
		{"the 1st", "2026-12-01"},
		{"5号", "2026-11-05"},
		{"下周五", "2026-12-11"}, // explicit: unchanged
	}
	for _, tt := range tests {
		got, _ := resolveDate(normalize(tt.text), ref, true)
		if g := got.String(); g != tt.want {
			t.Errorf("resolveDate(%q, past) = %q, want %q", tt.text, g, tt.want)
		}
	}
}
