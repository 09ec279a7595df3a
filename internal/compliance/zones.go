package compliance

import (
	"sync"
	"time"
	_ "time/tzdata" // the governor must not depend on the host's zoneinfo: a missing zone would block every contact
)

// Zones caches IANA time zones by name, so that a decision does not load
// zone data. It is safe for concurrent use; the zero Zones is ready.
type Zones struct {
	mu sync.RWMutex
	m  map[string]*time.Location
}

// Load returns the zone called name. It refuses "Local" and "" (the server's
// own zone, never the borrower's: COMPLIANCE.md X2) and names the tz
// database does not know.
func (z *Zones) Load(name string) (*time.Location, bool) {
	if name == "" || name == "Local" {
		return nil, false
	}
	z.mu.RLock()
	loc, ok := z.m[name]
	z.mu.RUnlock()
	if ok {
		return loc, loc != nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	z.mu.Lock()
	if z.m == nil {
		z.m = make(map[string]*time.Location)
	}
	if len(z.m) < 1024 { // bound the cache: names come from data
		z.m[name] = loc
	}
	z.mu.Unlock()
	return loc, loc != nil
}
