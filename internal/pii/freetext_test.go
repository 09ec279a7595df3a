package pii

import (
	"strings"
	"testing"
)

func TestMaskFreeText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"plain text", "客户说下周一还款", "客户说下周一还款"},
		{"mobile in Chinese", "客户手机13800138000，请回电。", "客户手机138****8000，请回电。"},
		{"mobile +86 spaced", "call +86 138 0013 8000 after 6pm", "call 138****8000 after 6pm"},
		{"mobile dashes", "号码138-0013-8000", "号码138****8000"},
		{"mobile 0086", "0086 13900139000", "139****9000"},
		{"mobile 86 glued", "8613800138000", "138****8000"},
		{"full-width digits", "手机１３８００１３８０００", "手机138****8000"},
		{"two mobiles", "13800138000 13900139000", "138****8000 139****9000"},
		{"national id", "身份证110105199001011232已核实", "身份证110105********1232已核实"},
		{"national id with x", "ID 11010519491231002x ok", "ID 110105********002X ok"},
		{"national id bad checksum", "110105199001011234", "110105199001011234"},
		{"first-generation id", "旧证130503670401001", "旧证130503*****1001"},
		{"landline Beijing", "单位电话010-12345678转", "单位电话010****5678转"},
		{"landline parentheses", "(0755) 1234 5678", "075*****5678"},
		{"landline full-width parentheses", "（021）87654321", "021****4321"},
		{"landline +86", "+86 10 1234 5678", "010****5678"},
		{"bank card", "卡号6222021234567890128", "卡号622202*********0128"},
		{"card failing luhn", "6222021234567890123", "6222021234567890123"},
		{"loan number left alone", "借据号L13800138000", "借据号L13800138000"},
		{"digits glued after", "13800138000123", "13800138000123"},
		{"amounts and dates", "2026-03-10 还款5000.00元，逾期 35 天", "2026-03-10 还款5000.00元，逾期 35 天"},
		{"already masked", "138****8000", "138****8000"},
		{"service number", "400-800-8888", "400-800-8888"},
		{"mixed", "张三 13800138000 身份证 110105199001011232 住址", "张三 138****8000 身份证 110105********1232 住址"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := MaskFreeText(tt.in); got != tt.want {
				t.Errorf("MaskFreeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := MaskFreeText(MaskFreeText(tt.in)); again != MaskFreeText(tt.in) {
				t.Errorf("masking twice changed %q to %q", MaskFreeText(tt.in), again)
			}
		})
	}
}

func FuzzMaskFreeText(f *testing.F) {
	for _, s := range []string{"手机13800138000", "+86 138 0013 8000", "110105199001011232", "(010)12345678", "（0", "+", "1x",
		"x+13800138000", "0 13800138000", "13800138000-13900139000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := MaskFreeText(s)
		// No mobile number or national id standing on its own survives.
		rs := []rune(out)
		for i := 0; i < len(rs); {
			if !isDigit(rs[i]) || i > 0 && isWordRune(rs[i-1]) {
				i++
				continue
			}
			j := i
			var d []byte
			for j < len(rs) && (isDigit(rs[j]) || (rs[j] == 'X' || rs[j] == 'x') && len(d) == 17) {
				d = append(d, digitValue(rs[j]))
				j++
			}
			if j == len(rs) || !isWordRune(rs[j]) {
				if n := string(d); isMobile(n) || len(n) == 18 && validID18(strings.ToUpper(n)) {
					t.Errorf("MaskFreeText(%q) = %q keeps %s", s, out, n)
				}
			}
			i = j
		}
	})
}
