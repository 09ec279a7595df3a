// Package route plans a field-visit pair's day (外访路线): which of the
// visits offered to the pair they make, in which order, and when they
// arrive at and start each one.
//
// Vocabulary:
//   - A pair (外访小组) is the two collectors who make every home visit
//     together (CN-VISIT). They leave their base at the start of their
//     working day and must be back by its end.
//   - A visit has a place (lat/lon), a duration on site, an optional window
//     in which it must start (the time the borrower was told, or said suits
//     them) and a value: what the visit is expected to bring, in fen, from
//     internal/visit's estimate.
//   - Travel between two places is the great-circle (haversine) distance on
//     a sphere of radius 6,371 km times 1.3 (RoadFactor), a fair stand-in
//     for city roads without a road map; travel time is that distance at
//     the pair's speed, rounded up to the second.
//
// The planner maximises the value of the visits made and, among plans of
// equal value, minimises the distance travelled. Up to ExactLimit visits it
// is exact (dynamic programming over subsets, keeping every route whose
// finishing time and distance no other route beats); above that it builds
// routes by insertion and improves them by local search (2-opt, relocation,
// insertion and swaps). Replan plans the rest of a day from where the pair
// is when a visit is cancelled; PlanPairs shares a pool of approved visits
// among many pairs first and plans each pair's day; SVG draws a day.
//
// Everything here is pure: times of day are arguments, nothing reads a
// clock, a database or the network.
package route
