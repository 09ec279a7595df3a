package route_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"accord/internal/route"
)

func TestSVG(t *testing.T) {
	t.Parallel()
	d, err := route.ParseDay(strings.NewReader(dayFile))
	if err != nil {
		t.Fatal(err)
	}
	d.Visits = append(d.Visits, route.Visit{ID: "late<&>", At: route.Point{Lat: 31.28, Lon: 121.45}, Duration: 600,
		Window: &route.Window{From: 7 * hour, Until: 7 * hour}})
	p := d.Plan()
	out := string(route.SVG(d, p))

	// Well-formed XML, so that browsers draw it.
	dec := xml.NewDecoder(strings.NewReader(out))
	counts := map[string]int{}
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v\n%s", err, out)
			}
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "class" {
					counts[a.Value]++
				}
			}
		}
	}
	want := map[string]int{"stop": 2, "left-out": 1, "base": 1, "route": 1, "scale": 1}
	for class, n := range want {
		if counts[class] != n {
			t.Errorf("%d elements of class %q, want %d", counts[class], class, n)
		}
	}
	for _, s := range []string{">1</text>", ">2</text>", " km</text>", "late&lt;&amp;&gt;: unreachable_in_window", "基地"} {
		if !strings.Contains(out, s) {
			t.Errorf("SVG lacks %q", s)
		}
	}
}
