package borrower

import "testing"

func TestValidNationalID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true}, // the GB 11643 example
		{"11010519491231002x", true},
		{"110105194912310021", false}, // wrong check digit
		{"1101051949123100", false},
		{"11010519491231002Y", false},
	}
	for _, tt := range tests {
		if got := ValidNationalID(tt.id); got != tt.want {
			t.Errorf("ValidNationalID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestValidPhone(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"+8613800138000": true, "+861380013800": false, "13800138000": false,
		"+8612800138000": false, "+14155550100": true, "+861012345678": true, "+862161234567": true, "+86abc": false} {
		if got := ValidPhone(s); got != want {
			t.Errorf("ValidPhone(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestBorrower_Validate(t *testing.T) {
	t.Parallel()
	ok := Borrower{ExternalID: "B1", Name: "张三", NationalID: "11010519491231002X", Phones: []Phone{{Number: "+8613800138000"}}, TimeZone: "Asia/Shanghai"}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid borrower: %v", err)
	}
	bad := ok
	bad.TimeZone = "Mars/Olympus"
	bad.Phones = []Phone{{Number: "138"}}
	if err := bad.Validate(); err == nil {
		t.Error("bad borrower accepted")
	}
}
