package route

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"accord/internal/errs"
)

// MarshalText writes c as HH:MM (see String).
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads HH:MM.
func (c *Clock) UnmarshalText(b []byte) error {
	v, err := ParseClock(string(b))
	*c = v
	return err
}

// planJSON is the wire form of a Plan (docs/VISITS.md).
type planJSON struct {
	Stops    []Stop    `json:"stops"`
	TravelKm float64   `json:"travel_km"`
	BackAt   Clock     `json:"back_at"`
	Value    int64     `json:"value"`
	LeftOut  []LeftOut `json:"left_out"`
}

// MarshalJSON writes p in the file format: times as HH:MM, km to two
// decimals, empty lists as [].
func (p Plan) MarshalJSON() ([]byte, error) {
	w := planJSON{Stops: p.Stops, TravelKm: math.Round(p.TravelKm*100) / 100, BackAt: p.BackAt, Value: p.Value, LeftOut: p.LeftOut}
	if w.Stops == nil {
		w.Stops = []Stop{}
	}
	if w.LeftOut == nil {
		w.LeftOut = []LeftOut{}
	}
	return json.Marshal(w)
}

// ParseDay reads a day file (docs/VISITS.md) and validates it. It returns
// an Invalid error naming each field at fault, unknown fields included.
func ParseDay(r io.Reader) (Day, error) {
	var top map[string]json.RawMessage
	dec := json.NewDecoder(r)
	if err := dec.Decode(&top); err != nil {
		return Day{}, errs.Field("file", "not a JSON object: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Day{}, errs.Field("file", "holds more than one JSON value")
	}
	var b fieldErrs
	var d Day
	b.known("", top, "start", "day_start", "day_end", "speed_kmh", "visits")
	d.Start = b.point("start", top["start"])
	d.From = b.clock("day_start", top["day_start"], true)
	d.Until = b.clock("day_end", top["day_end"], true)
	b.decode("speed_kmh", top["speed_kmh"], &d.SpeedKmh, true)
	var raw []map[string]json.RawMessage
	b.decode("visits", top["visits"], &raw, false)
	for i, rv := range raw {
		at := fmt.Sprintf("visits[%d]", i)
		b.known(at+".", rv, "id", "lat", "lon", "duration_min", "window", "value", "region")
		var v Visit
		b.decode(at+".id", rv["id"], &v.ID, true)
		b.decode(at+".lat", rv["lat"], &v.At.Lat, true)
		b.decode(at+".lon", rv["lon"], &v.At.Lon, true)
		var mins int
		b.decode(at+".duration_min", rv["duration_min"], &mins, true)
		v.Duration = Clock(mins * 60)
		b.decode(at+".value", rv["value"], &v.Value, true)
		b.decode(at+".region", rv["region"], &v.Region, false)
		if w := rv["window"]; w != nil && string(w) != "null" {
			var pair []json.RawMessage
			b.decode(at+".window", w, &pair, true)
			if pair != nil && len(pair) != 2 {
				b.add(at+".window", "must be [\"HH:MM\", \"HH:MM\"]")
			} else if pair != nil {
				v.Window = &Window{From: b.clock(at+".window[0]", pair[0], true), Until: b.clock(at+".window[1]", pair[1], true)}
			}
		}
		d.Visits = append(d.Visits, v)
	}
	if len(b) > 0 {
		return Day{}, errs.Fields("The day file is not valid.", b...)
	}
	return d, d.Validate()
}

// fieldErrs collects what is wrong with a file, field by field.
type fieldErrs []errs.FieldError

func (b *fieldErrs) add(field, format string, args ...any) {
	*b = append(*b, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// known reports each key of obj that is not in names.
func (b *fieldErrs) known(prefix string, obj map[string]json.RawMessage, names ...string) {
	var unknown []string
	for k := range obj {
		if !slices.Contains(names, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		b.add(prefix+k, "unknown field (known: %s)", strings.Join(names, ", "))
	}
}

// decode reads raw into v strictly; a missing value is an error when required.
func (b *fieldErrs) decode(field string, raw json.RawMessage, v any, required bool) {
	if raw == nil || string(raw) == "null" {
		if required {
			b.add(field, "is required")
		}
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		b.add(field, "%s is not a valid value: %v", raw, err)
	}
}

func (b *fieldErrs) clock(field string, raw json.RawMessage, required bool) Clock {
	var s string
	n := len(*b)
	b.decode(field, raw, &s, required)
	if len(*b) > n || raw == nil || string(raw) == "null" {
		return 0
	}
	c, err := ParseClock(s)
	if err != nil {
		b.add(field, "%s", errs.MessageOf(err))
	}
	return c
}

func (b *fieldErrs) point(field string, raw json.RawMessage) Point {
	var obj map[string]json.RawMessage
	b.decode(field, raw, &obj, true)
	var p Point
	if obj != nil {
		b.known(field+".", obj, "lat", "lon")
		b.decode(field+".lat", obj["lat"], &p.Lat, true)
		b.decode(field+".lon", obj["lon"], &p.Lon, true)
	}
	return p
}
