package route_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"accord/internal/errs"
	"accord/internal/route"
)

const dayFile = `{"start": {"lat": 31.25, "lon": 121.48}, "day_start": "09:00", "day_end": "18:00", "speed_kmh": 30,
 "visits": [{"id": "v1", "lat": 31.30, "lon": 121.37, "duration_min": 30, "window": ["10:00", "12:00"], "value": 5000},
            {"id": "v2", "lat": 31.22, "lon": 121.50, "duration_min": 20, "value": 3000}]}`

func TestParseDay(t *testing.T) {
	t.Parallel()
	d, err := route.ParseDay(strings.NewReader(dayFile))
	if err != nil {
		t.Fatal(err)
	}
	if d.From != 9*hour || d.Until != 18*hour || d.SpeedKmh != 30 || len(d.Visits) != 2 {
		t.Fatalf("got %+v", d)
	}
	v := d.Visits[0]
	if v.ID != "v1" || v.Duration != 30*60 || v.Value != 5000 || v.Window == nil || v.Window.From != 10*hour || v.Window.Until != 12*hour {
		t.Fatalf("visit %+v", v)
	}
	if d.Visits[1].Window != nil {
		t.Fatal("v2 has no window")
	}
}

func TestParseDay_invalid(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, edit, field string }{
		{"unknown top field", `"speed_kmh": 30,`, `"speed_kmh": 30, "colour": "red",`},
		{"unknown visit field", `"value": 3000}`, `"value": 3000, "priority": 1}`},
		{"bad time", `"day_end": "18:00"`, `"day_end": "6pm"`},
		{"end before start", `"day_end": "18:00"`, `"day_end": "08:00"`},
		{"missing speed", `"speed_kmh": 30,`, ``},
		{"bad latitude", `"lat": 31.30`, `"lat": 131.30`},
		{"window of one", `["10:00", "12:00"]`, `["10:00"]`},
		{"window backwards", `["10:00", "12:00"]`, `["12:00", "10:00"]`},
		{"duplicate id", `"id": "v2"`, `"id": "v1"`},
		{"text for number", `"duration_min": 20`, `"duration_min": "20"`},
		{"missing value", `, "value": 3000`, ``},
		{"two values", `]}`, `]} {}`},
	}
	want := map[string]string{
		"unknown top field": "colour", "unknown visit field": "visits[1].priority", "bad time": "day_end",
		"end before start": "day_end", "missing speed": "speed_kmh", "bad latitude": "visits[0].lat",
		"window of one": "visits[0].window", "window backwards": "visits[0].window", "duplicate id": "visits[1].id",
		"text for number": "visits[1].duration_min", "missing value": "visits[1].value", "two values": "file",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := route.ParseDay(strings.NewReader(strings.Replace(dayFile, tt.edit, tt.field, 1)))
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("err = %v, want Invalid", err)
			}
			var names []string
			for _, f := range errs.FieldsOf(err) {
				names = append(names, f.Field)
			}
			if len(names) != 1 || names[0] != want[tt.name] {
				t.Fatalf("fields %v, want [%s]", names, want[tt.name])
			}
		})
	}
}

func TestPlan_MarshalJSON(t *testing.T) {
	t.Parallel()
	d, err := route.ParseDay(strings.NewReader(dayFile))
	if err != nil {
		t.Fatal(err)
	}
	d.Visits = append(d.Visits, route.Visit{ID: "far", At: route.Point{Lat: 39.9, Lon: 116.4}, Duration: 600, Value: 1})
	b, err := json.Marshal(d.Plan())
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Stops    []struct{ ID, Arrive, Start, Leave string }
		TravelKm float64                       `json:"travel_km"`
		BackAt   string                        `json:"back_at"`
		LeftOut  []struct{ ID, Reason string } `json:"left_out"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Stops) != 2 || got.BackAt == "" || got.TravelKm <= 0 {
		t.Fatalf("%s", b)
	}
	for _, s := range got.Stops {
		if s.ID == "v1" && (s.Start < "10:00" || s.Start > "12:00" || s.Leave != addMin(s.Start, 30)) {
			t.Fatalf("v1 %+v: must start in its window and last 30 minutes", s)
		}
	}
	if len(got.LeftOut) != 1 || got.LeftOut[0].ID != "far" || got.LeftOut[0].Reason != string(route.ReasonTooLong) {
		t.Fatalf("left out %+v (Beijing is too far for a day from Shanghai)", got.LeftOut)
	}
	if km := got.TravelKm * 100; math.Abs(km-math.Round(km)) > 1e-6 {
		t.Fatalf("travel_km %v has more than two decimals", got.TravelKm)
	}
}

func addMin(hhmm string, m int) string {
	c, _ := route.ParseClock(hhmm)
	return (c + route.Clock(m*60)).String()
}
