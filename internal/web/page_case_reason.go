package web

import (
	"fmt"
	"regexp"
	"strconv"

	"accord/internal/classify"
)

// reasonValueLabels are the words a segment reason's value can be, as the
// case page shows them.
var reasonValueLabels = map[string][2]string{
	"never":   {"从未", "never"},
	"unknown": {"未知", "unknown"},
	"none":    {"无", "none"},
}

// promiseCounts is the promises reason's value: "kept 2, broken 1".
var promiseCounts = regexp.MustCompile(`^kept (\d+), broken (\d+)$`)

// reasonValue is the value of a segment reason or expected-value factor
// (signal names what it measures) as a reader of lang sees it: the fixed
// words and the promise counts translated, a hardship by its label, a
// number or ratio as it is.
func reasonValue(lang, signal, value string) string {
	en := lang == "en"
	if l, ok := reasonValueLabels[value]; ok {
		if en {
			return l[1]
		}
		return l[0]
	}
	if m := promiseCounts.FindStringSubmatch(value); m != nil && !en {
		kept, _ := strconv.Atoi(m[1])
		broken, _ := strconv.Atoi(m[2])
		return fmt.Sprintf("兑现 %d 次，违约 %d 次", kept, broken)
	}
	if signal == classify.SignalHardship {
		return negLabel(negLabels(lang), "hardship", value)
	}
	return value
}
