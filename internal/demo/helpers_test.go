package demo

// bucket returns the default bucket name of a DPD: M1 1–30 … M6 151–180, M7+.
func bucket(dpd int) string {
	switch {
	case dpd <= 0:
		return "M0"
	case dpd > 180:
		return "M7+"
	}
	return "M" + string(rune('0'+(dpd+29)/30))
}
