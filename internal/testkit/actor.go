package testkit

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/sqlstore"
)

// Password is the password of the users Users creates.
const Password = "accord-test-password"

// Admin acts for the back office in use cases that need a user; it is not
// a stored user.
var Admin = collect.Actor{User: auth.User{ID: 9001, Username: "ops-admin", Roles: []auth.Role{auth.Admin}}, RequestID: "req-admin"}

// Actor returns an actor holding role alone, for use cases whose
// permission check is the point; it is not a stored user (ID 9100).
func Actor(role auth.Role) collect.Actor {
	return collect.Actor{User: auth.User{ID: 9100, Username: "as-" + string(role), Roles: []auth.Role{role}},
		RequestID: "req-" + string(role)}
}

// Service returns a collect service over db running on clock (nil: T0,
// fixed), with logging discarded unless o.Log is set. Other options are
// o's.
func Service(db *sqlstore.DB, clock *Clock, o collect.Options) *collect.Service {
	if clock == nil {
		clock = NewClock(T0)
	}
	o.Now = clock.Now
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return collect.New(db, o)
}

// Users stores one user per role, each named after its role with
// Password, and returns them by role.
func Users(tb testing.TB, svc *collect.Service) map[auth.Role]auth.User {
	tb.Helper()
	users := make(map[auth.Role]auth.User, len(auth.Roles))
	for _, r := range auth.Roles {
		u, err := svc.CreateUser(context.Background(), collect.System("test"),
			auth.User{Username: string(r), DisplayName: string(r), Roles: []auth.Role{r}}, Password)
		if err != nil {
			tb.Fatalf("CreateUser(%s): %v", r, err)
		}
		users[r] = u
	}
	return users
}
