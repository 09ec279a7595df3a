package pii

import "testing"

func TestMaskPhone(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"+8613800138000", "138****8000"},
		{"8613800138000", "138****8000"},
		{"13800138000", "138****8000"},
		{" 13800138000 ", "138****8000"},
		{"+14155550123", "141****0123"},
		{"01088886666", "010****6666"},
		{"95588", "*5588"},
		{"1234", "****"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MaskPhone(tt.in); got != tt.want {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskNationalID(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"110105199001011234", "110105********1234"},
		{"11010519900101123X", "110105********123X"},
		{"110105900101123", "110105*****1123"}, // 15-digit first-generation id
		{"A1234567", "****4567"},
		{"123", "***"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MaskNationalID(tt.in); got != tt.want {
				t.Errorf("MaskNationalID(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"张三丰", "张**"},
		{"李四", "李*"},
		{"欧阳娜娜", "欧***"},
		{"王", "*"},
		{"Li Wei", "L* ***"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := MaskName(tt.in); got != tt.want {
				t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
