package compliance

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Print writes d for `accord compliance check`: the JSON form of docs/GOVERNOR.md
// when asJSON is set, otherwise a few lines a person can read:
//
//	BLOCK CN-FREQ-CONNECTED
//	  CN-FREQ-CONNECTED (block, R02 · NIFA 2024; GB/T 45251-2025)
//	    借款人当地 2026-03-10 已接通 3 次（上限 3 次 …）
//	    3 connected calls on 2026-03-10 local day (limit 3 …)
//	    count 3/3 · 2026-03-10T00:00:00+08:00 – 2026-03-11T00:00:00+08:00 Asia/Shanghai · evidence h1, h2, h3
func Print(w io.Writer, d Decision, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(d)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", strings.ToUpper(string(d.Action)), strings.Join(d.Rules, " "))
	if len(d.Details) == 0 {
		fmt.Fprintf(&b, "  %s\n  %s\n", d.Reasons.ZH, d.Reasons.EN)
	}
	for _, dt := range d.Details {
		fmt.Fprintf(&b, "  %s (%s, %s)\n    %s\n    %s\n", dt.Rule, dt.Severity, dt.Source, dt.Reason.ZH, dt.Reason.EN)
		if facts := detailFacts(dt); facts != "" {
			fmt.Fprintf(&b, "    %s\n", facts)
		}
	}
	if d.DayKind != "" {
		fmt.Fprintf(&b, "  day: %s\n", d.DayKind)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// detailFacts is the figures of a detail on one line.
func detailFacts(dt Detail) string {
	var parts []string
	if dt.Limit > 0 {
		parts = append(parts, fmt.Sprintf("count %d/%d", dt.Count, dt.Limit))
	}
	if dt.LocalTime != "" {
		parts = append(parts, "local "+dt.LocalTime)
	}
	if dt.WindowStart != "" {
		parts = append(parts, dt.WindowStart+" – "+dt.WindowEnd+" "+dt.TimeZone)
	}
	for _, kv := range [][2]string{
		{"matched", strings.Join(dt.Matched, ", ")}, {"failed", strings.Join(dt.Failed, ", ")},
		{"approval by", string(dt.RequiredRole)}, {"route", dt.Route}, {"evidence", strings.Join(dt.Evidence, ", ")},
	} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+" "+kv[1])
		}
	}
	return strings.Join(parts, " · ")
}
