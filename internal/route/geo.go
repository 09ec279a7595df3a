package route

import "math"

// EarthRadiusKm is the radius of the sphere distances are measured on.
const EarthRadiusKm = 6371.0

// RoadFactor turns a great-circle distance into an estimate of the distance
// by road.
const RoadFactor = 1.3

// Point is a place in decimal degrees (WGS-84 as maps give it).
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// valid reports whether p is on the globe.
func (p Point) valid() bool {
	return !math.IsNaN(p.Lat) && !math.IsNaN(p.Lon) && p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// Haversine returns the great-circle distance between a and b in km.
func Haversine(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	s := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(s)))
}

// RoadKm returns the travel distance between a and b in km: the
// great-circle distance times RoadFactor.
func RoadKm(a, b Point) float64 { return Haversine(a, b) * RoadFactor }

// TravelSeconds returns the time to cover km at speedKmh, rounded up to
// the second so that a planned arrival is never earlier than possible.
func TravelSeconds(km, speedKmh float64) Clock {
	return Clock(math.Ceil(km/speedKmh*3600 - 1e-9))
}
