package bot

import (
	"testing"

	"accord/internal/date"
)

func TestExtractAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, want string // want "" for no amount
	}{
		{"明天还两千", "2000.00"},
		{"三千五", "3500.00"},
		{"还一万二", "12000.00"},
		{"还1.5万", "15000.00"},
		{"还2k", "2000.00"},
		{"八百块", "800.00"},
		{"两百五", "250.00"},
		{"一千零五十元", "1050.00"},
		{"一千零五块", "1005.00"},
		{"一万五千", "15000.00"},
		{"十万块", "100000.00"},
		{"还3千5", "3500.00"},
		{"还1万2", "12000.00"},
		{"还2w", "20000.00"},
		{"转1,500", "1500.00"},
		{"还 1500.50 元", "1500.50"},
		{"¥800", "800.00"},
		{"rmb 800", "800.00"},
		{"800 yuan", "800.00"},
		{"i'll pay 1.5k", "1500.00"},
		{"i can pay 300 a month", "300.00"},
		{"每月500", "500.00"},
		{"500/月", "500.00"},
		{"我欠5000，只能先还2000", "2000.00"}, // the one a payment word governs
		// relative, approximate or vague: no amount
		{"先还一半", ""},
		{"全部还清", ""},
		{"剩下的下个月还", ""},
		{"还一千多", ""},
		{"两千来块", ""},
		{"几百块", ""},
		{"一两千", ""},
		{"1000到2000", ""},
		{"1000-2000", ""},
		{"500 or 600", ""},
		{"pay half", ""},
		// numbers that are not money
		{"我电话13812345678", ""},
		{"工号8848", ""},
		{"工号是8848", ""},
		{"订单号20261201778", ""},
		{"尾号5678", ""},
		{"我35岁", ""},
		{"下午3点", ""},
		{"10:30", ""},
		{"分12期", ""},
		{"还有3期没还", ""},
		{"6个月", ""},
		{"打了20次电话", ""},
		{"3个孩子", ""},
		{"第2期", ""},
		{"12/25", ""},
		{"2026-12-20", ""},
		{"2026年", ""},
		{"i'm 45", ""},
		{"after 5pm", ""},
		{"split into 6 payments", ""},
		{"12 monthly payments", ""},
		{"for two months", ""},
		{"my staff id is 4521", ""},
		{"order number 778812", ""},
		{"case no. 5521", ""},
		{"call me at 5", ""},
		{"投诉到12378", ""},
		{"千万别打了", ""},
		{"一下", ""},
		{"十一之后还", ""},
		{"一点点", ""},
		{"八折", ""},
		{"三成", ""},
		{"50%", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			f := extractAmount(normalize(tt.text))
			got := ""
			if f.ok {
				got = f.amount.String()
			}
			if got != tt.want {
				t.Errorf("extractAmount(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestParse_DateIsNotAmount checks that the day of a date is never taken
// for money: the date's span is masked before amounts are read.
func TestParse_DateIsNotAmount(t *testing.T) {
	t.Parallel()
	ref := date.MustParse("2026-12-03")
	for _, text := range []string{"I'll pay on Jan 8", "15号还", "下个月10号还", "I'll pay on the 20th", "12月20日还", "2027-01-05 pay"} {
		if r := Parse(text, ref); r.HasAmount {
			t.Errorf("Parse(%q) amount %s, want none", text, r.Amount)
		}
	}
}

func TestNumeral(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // "" when not a number
	}{
		{"两千", "2000"}, {"三千五", "3500"}, {"一万二", "12000"}, {"两百五", "250"}, {"十五", "15"}, {"二十", "20"},
		{"一千零五十", "1050"}, {"1.5万", "15000"}, {"2k", "2000"}, {"一两千", ""}, {"千万", ""}, {"二零二六", ""},
	}
	for _, tt := range tests {
		v, ok := numeral([]rune(tt.in))
		got := ""
		if ok {
			got = v.Trim(0).String()
		}
		if got != tt.want {
			t.Errorf("numeral(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
