package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const visitDay = `{"start": {"lat": 31.25, "lon": 121.48}, "day_start": "09:00", "day_end": "18:00", "speed_kmh": 30,
 "visits": [
  {"id": "v1", "lat": 31.30, "lon": 121.37, "duration_min": 30, "window": ["10:00", "12:00"], "value": 5000},
  {"id": "v2", "lat": 31.22, "lon": 121.50, "duration_min": 45, "value": 3000},
  {"id": "v3", "lat": 31.27, "lon": 121.45, "duration_min": 20, "window": ["14:00", "15:00"], "value": 2000},
  {"id": "v9", "lat": 31.26, "lon": 121.47, "duration_min": 30, "window": ["07:00", "08:00"], "value": 9000}
 ]}`

func TestVisitRoute_JSON(t *testing.T) {
	t.Parallel()
	file := writeFile(t, "day.json", visitDay)
	svg := filepath.Join(t.TempDir(), "day.svg")
	code, out, errOut := runAccord(t, context.Background(), nil, "visit", "route", "--file", file, "--json", "--svg", svg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Stops []struct {
			ID     string `json:"id"`
			Arrive string `json:"arrive"`
			Start  string `json:"start"`
			Leave  string `json:"leave"`
		} `json:"stops"`
		TravelKm float64 `json:"travel_km"`
		BackAt   string  `json:"back_at"`
		LeftOut  []struct {
			ID     string `json:"id"`
			Reason string `json:"reason"`
		} `json:"left_out"`
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{"stops", "travel_km", "back_at", "left_out"} {
		if raw[k] == nil {
			t.Fatalf("output lacks %q:\n%s", k, out)
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Stops) != 3 || len(got.LeftOut) != 1 || got.LeftOut[0].ID != "v9" || got.LeftOut[0].Reason != "unreachable_in_window" {
		t.Fatalf("stops %+v, left out %+v", got.Stops, got.LeftOut)
	}
	for _, s := range got.Stops {
		if s.Arrive > s.Start || s.Start >= s.Leave {
			t.Fatalf("stop %+v: times out of order", s)
		}
		switch s.ID {
		case "v1":
			if s.Start < "10:00" || s.Start > "12:00" {
				t.Fatalf("v1 starts at %s, outside 10:00–12:00", s.Start)
			}
		case "v3":
			if s.Start < "14:00" || s.Start > "15:00" {
				t.Fatalf("v3 starts at %s, outside 14:00–15:00", s.Start)
			}
		}
	}
	if got.TravelKm <= 0 || got.BackAt > "18:00" || got.BackAt < got.Stops[2].Leave {
		t.Fatalf("travel %.2f km, back at %s", got.TravelKm, got.BackAt)
	}
	b, err := os.ReadFile(svg)
	if err != nil || !strings.Contains(string(b), `<svg`) || !strings.Contains(string(b), `class="left-out"`) {
		t.Fatalf("SVG map: %v\n%s", err, b)
	}
}

func TestVisitRoute_table(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	m := NewMain(strings.NewReader(visitDay), &out, &out)
	if code := m.Run(context.Background(), []string{"accord", "visit", "route", "--file", "-"}); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	for _, s := range []string{"VISIT", "ARRIVE", "v1", "v2", "v3", "3 stops", "back at", "Left out:", "v9", "unreachable_in_window"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, out.String())
		}
	}
}

func TestVisitRoute_invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, field string
	}{
		{"unknown field", strings.Replace(visitDay, `"speed_kmh": 30`, `"speed_kmh": 30, "mode": "car"`, 1), "mode"},
		{"unknown visit field", strings.Replace(visitDay, `"value": 3000`, `"value": 3000, "urgent": true`, 1), "visits[1].urgent"},
		{"bad window", strings.Replace(visitDay, `["14:00", "15:00"]`, `["14:00", "25:00"]`, 1), "visits[2].window[1]"},
		{"no speed", strings.Replace(visitDay, `"speed_kmh": 30,`, ``, 1), "speed_kmh"},
		{"not JSON", `{"start": `, "file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			file := writeFile(t, "day.json", tt.body)
			code, _, errOut := runAccord(t, context.Background(), nil, "visit", "route", "--file", file, "--json")
			if code != 2 || !strings.Contains(errOut, tt.field+":") {
				t.Fatalf("exit %d, want 2 naming %s:\n%s", code, tt.field, errOut)
			}
		})
	}
	code, _, errOut := runAccord(t, context.Background(), nil, "visit", "route", "--file", filepath.Join(t.TempDir(), "none.json"))
	if code != 2 || !strings.Contains(errOut, "--file") {
		t.Fatalf("missing file: exit %d\n%s", code, errOut)
	}
}

func TestVisitRoute_replan(t *testing.T) {
	t.Parallel()
	file := writeFile(t, "day.json", visitDay)
	plan := func(args ...string) (stops []string, leftOut map[string]string, firstArrive string) {
		t.Helper()
		code, out, errOut := runAccord(t, context.Background(), nil, append([]string{"visit", "route", "--file", file, "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got struct {
			Stops   []struct{ ID, Arrive string }
			LeftOut []struct{ ID, Reason string } `json:"left_out"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		leftOut = map[string]string{}
		for _, lo := range got.LeftOut {
			leftOut[lo.ID] = lo.Reason
		}
		for _, s := range got.Stops {
			stops = append(stops, s.ID)
		}
		if len(got.Stops) > 0 {
			firstArrive = got.Stops[0].Arrive
		}
		return stops, leftOut, firstArrive
	}
	stops, out, first := plan("--now", "13:00", "--at", "31.22,121.50", "--done", "v2", "--cancelled", "v1")
	if strings.Join(stops, ",") != "v3" || out["v1"] != "cancelled" || out["v2"] != "" || first < "13:00" {
		t.Fatalf("stops %v, left out %v, first arrival %s", stops, out, first)
	}
	for _, args := range [][]string{{"--now", "1pm"}, {"--at", "north"}, {"--done", "v7"}} {
		code, _, errOut := runAccord(t, context.Background(), nil, append([]string{"visit", "route", "--file", file}, args...)...)
		if code != 2 || !strings.Contains(errOut, args[0]) {
			t.Errorf("%v: exit %d, want 2 naming %s\n%s", args, code, args[0], errOut)
		}
	}
}
