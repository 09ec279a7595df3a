package auth

import "time"

// User is a person (or an integration, through an API token) who signs in.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	DisplayName  string    `json:"display_name"`
	PasswordHash string    `json:"-"`
	Roles        []Role    `json:"roles"`
	TeamID       int64     `json:"team_id,omitempty"`
	AgencyID     int64     `json:"agency_id,omitempty"` // set for agency agents
	Language     string    `json:"language"`            // zh-CN or en
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
}

// Can reports whether any of u's roles holds p. A disabled user can do nothing.
func (u User) Can(p Permission) bool {
	if u.Disabled {
		return false
	}
	for _, r := range u.Roles {
		if RoleCan(r, p) {
			return true
		}
	}
	return false
}

// Has reports whether u has role r.
func (u User) Has(r Role) bool {
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// APIToken is a bearer token for an integration. Only its SHA-256 hash is
// stored; the token itself is shown once, when created.
type APIToken struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	UserID     int64     `json:"user_id"` // the token acts as this user
	Prefix     string    `json:"prefix"`  // first characters, to recognise it in a list
	Hash       []byte    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at,omitzero"`   // refused from then on
	LastUsedAt time.Time `json:"last_used_at,omitzero"` // updated at most once a minute
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// Usable reports whether t may authenticate a request at now: neither
// revoked nor expired.
func (t APIToken) Usable(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// Session is a signed-in browser. Only the hash of its cookie token is
// stored. CSRFToken must accompany every state-changing request.
type Session struct {
	Hash      []byte
	UserID    int64
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}
