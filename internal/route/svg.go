package route

import (
	"bytes"
	"fmt"
	"html"
	"math"
)

// SVG map geometry, in pixels.
const (
	svgW, svgH = 800, 600
	svgMargin  = 40
)

// SVG draws the day d as planned in p, from the coordinates alone (no map
// tiles): the base (a square), the stops numbered in order and joined by
// lines from the base and back, the visits left out (grey crosses) and a
// scale bar in km (straight-line distance). Hovering a mark shows its id
// and times or reason. The result is a standalone SVG document.
func SVG(d Day, p Plan) []byte {
	pts := map[string]Point{}
	all := []Point{d.Start}
	for _, v := range d.Visits {
		pts[v.ID] = v.At
		all = append(all, v.At)
	}
	proj := newProjection(all)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", svgW, svgH, svgW, svgH)
	fmt.Fprintf(&b, "<title>%s</title>\n", html.EscapeString(fmt.Sprintf("外访路线 / Route: %d stops, %.2f km, back at %s", len(p.Stops), p.TravelKm, p.BackAt)))
	b.WriteString(`<rect width="100%" height="100%" fill="#fafafa"/>` + "\n")
	if len(p.Stops) > 0 {
		b.WriteString(`<polyline class="route" fill="none" stroke="#1f6feb" stroke-width="2" points="`)
		x, y := proj.xy(d.Start)
		fmt.Fprintf(&b, "%.1f,%.1f", x, y)
		for _, s := range p.Stops {
			x, y := proj.xy(pts[s.ID])
			fmt.Fprintf(&b, " %.1f,%.1f", x, y)
		}
		x, y = proj.xy(d.Start)
		fmt.Fprintf(&b, ` %.1f,%.1f"/>`+"\n", x, y)
	}
	for _, lo := range p.LeftOut {
		at, ok := pts[lo.ID]
		if !ok {
			continue
		}
		x, y := proj.xy(at)
		fmt.Fprintf(&b, `<g class="left-out"><title>%s</title><path d="M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f" stroke="#999" stroke-width="2"/></g>`+"\n",
			html.EscapeString(lo.ID+": "+string(lo.Reason)), x-5, y-5, x+5, y+5, x-5, y+5, x+5, y-5)
	}
	for i, s := range p.Stops {
		x, y := proj.xy(pts[s.ID])
		fmt.Fprintf(&b, `<g class="stop"><title>%s</title><circle cx="%.1f" cy="%.1f" r="10" fill="#1f6feb"/><text x="%.1f" y="%.1f" text-anchor="middle" fill="#fff">%d</text></g>`+"\n",
			html.EscapeString(fmt.Sprintf("%d. %s %s–%s", i+1, s.ID, s.Start, s.Leave)), x, y, x, y+4, i+1)
	}
	x, y := proj.xy(d.Start)
	fmt.Fprintf(&b, `<g class="base"><title>基地 / Base</title><rect x="%.1f" y="%.1f" width="14" height="14" fill="#d1242f"/><text x="%.1f" y="%.1f">基地 Base</text></g>`+"\n", x-7, y-7, x+10, y-10)
	km, px := proj.scale()
	fmt.Fprintf(&b, `<g class="scale"><line x1="%d" y1="%d" x2="%.1f" y2="%d" stroke="#000" stroke-width="2"/><text x="%d" y="%d">%s km</text></g>`+"\n",
		svgMargin, svgH-15, float64(svgMargin)+px, svgH-15, svgMargin, svgH-20, trimFloat(km))
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// projection maps degrees to pixels: an equirectangular projection around
// the middle latitude, which is accurate enough over a city.
type projection struct {
	minLon, maxLat float64
	kx, ky         float64 // km per degree of longitude and latitude
	px             float64 // pixels per km
}

func newProjection(pts []Point) projection {
	minLat, maxLat, minLon, maxLon := pts[0].Lat, pts[0].Lat, pts[0].Lon, pts[0].Lon
	for _, p := range pts {
		minLat, maxLat = math.Min(minLat, p.Lat), math.Max(maxLat, p.Lat)
		minLon, maxLon = math.Min(minLon, p.Lon), math.Max(maxLon, p.Lon)
	}
	ky := EarthRadiusKm * math.Pi / 180
	kx := ky * math.Cos((minLat+maxLat)/2*math.Pi/180)
	w, h := math.Max((maxLon-minLon)*kx, 0.1), math.Max((maxLat-minLat)*ky, 0.1)
	px := math.Min((svgW-2*svgMargin)/w, (svgH-2*svgMargin)/h)
	return projection{minLon: minLon, maxLat: maxLat, kx: kx, ky: ky, px: px}
}

func (p projection) xy(pt Point) (float64, float64) {
	return svgMargin + (pt.Lon-p.minLon)*p.kx*p.px, svgMargin + (p.maxLat-pt.Lat)*p.ky*p.px
}

// scale returns a round length in km (1, 2 or 5 times a power of ten) a
// little under a fifth of the map's width, and its length in pixels.
func (p projection) scale() (km, px float64) {
	target := svgW / 5 / p.px
	km = math.Pow(10, math.Floor(math.Log10(target)))
	for _, m := range []float64{5, 2} {
		if km*m <= target {
			km *= m
			break
		}
	}
	return km, km * p.px
}

func trimFloat(f float64) string { return fmt.Sprintf("%g", f) }
