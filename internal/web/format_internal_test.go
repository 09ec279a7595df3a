package web

import (
	"testing"

	"github.com/govalues/decimal"
)

func TestPercent(t *testing.T) {
	for in, want := range map[string]string{"0.18": "18%", "0.1800": "18%", "0.0005": "0.05%", "0.2399": "23.99%", "0": "0%", "1": "100%"} {
		if got := percent(decimal.MustParse(in)); got != want {
			t.Errorf("percent(%s) = %q, want %q", in, got, want)
		}
	}
}
