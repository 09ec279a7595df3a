package classify

import "errors"

// Config is the whole classification setup a lender edits: the bucket
// ladder, the risk-tier matrix and the segment model. Its JSON form is
// {"buckets": […], "tiers": {…}, "segments": {…}}.
type Config struct {
	Buckets  Buckets      `json:"buckets"`
	Tiers    TierMatrix   `json:"tiers"`
	Segments SegmentModel `json:"segments"`
}

// DefaultConfig returns DefaultBuckets, DefaultTierMatrix and
// DefaultSegmentModel.
func DefaultConfig() Config {
	return Config{Buckets: DefaultBuckets(), Tiers: DefaultTierMatrix(), Segments: DefaultSegmentModel()}
}

// Validate checks all three parts and returns their Invalid errors joined.
func (c Config) Validate() error {
	return errors.Join(c.Buckets.Validate(), c.Tiers.Validate(), c.Segments.Validate())
}
