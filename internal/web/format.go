package web

import "github.com/govalues/decimal"

// percent shows a rate as a percentage for people: 0.18 → "18%", 0.0005 →
// "0.05%". It is display only; rate arithmetic stays in decimal elsewhere.
func percent(d decimal.Decimal) string {
	p, err := d.Mul(decimal.Hundred)
	if err != nil {
		return d.String()
	}
	return p.Trim(0).String() + "%"
}
