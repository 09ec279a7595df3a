package collect

import (
	"context"
	"strconv"
	"time"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// UserRow is one line of the user administration page: the user with the
// names of their team and agency, whether sign-in is locked for their name
// now, and when they last signed in (zero: never).
type UserRow struct {
	auth.User
	Team        string
	Agency      string
	LockedUntil time.Time
	LastLogin   time.Time
}

// Locked reports whether sign-in is locked for the user's name.
func (r UserRow) Locked() bool { return !r.LockedUntil.IsZero() }

// UserDirectory is what the user administration page offers: every user
// and the teams and agencies they may be put in.
type UserDirectory struct {
	Users    []UserRow
	Teams    []sqlstore.Team
	Agencies []sqlstore.Agency
}

// UserAdmin lists every user for the administration page.
func (s *Service) UserAdmin(ctx context.Context) (UserDirectory, error) {
	var d UserDirectory
	now := s.now().UTC()
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		users, _, err := tx.Users(ctx, sqlstore.UserFilter{Limit: 1000})
		if err != nil {
			return err
		}
		if d.Teams, err = tx.Teams(ctx); err != nil {
			return err
		}
		if d.Agencies, err = tx.Agencies(ctx); err != nil {
			return err
		}
		teams := map[int64]string{}
		for _, t := range d.Teams {
			teams[t.ID] = t.Name
		}
		agencies := map[int64]string{}
		for _, a := range d.Agencies {
			agencies[a.ID] = a.Name
		}
		entity, action := "user", "user.login"
		for _, u := range users {
			row := UserRow{User: u, Team: teams[u.TeamID], Agency: agencies[u.AgencyID]}
			th, err := tx.LoginThrottle(ctx, throttleUserKey(u.Username))
			if err != nil {
				return err
			}
			if th.LockedUntil.After(now) {
				row.LockedUntil = th.LockedUntil
			}
			id := strconv.FormatInt(u.ID, 10)
			ev, _, err := tx.AuditEventsFor(ctx, sqlstore.AuditFilter{EntityType: &entity, EntityID: &id, Action: &action, Limit: 1})
			if err != nil {
				return err
			}
			if len(ev) > 0 {
				row.LastLogin = ev[0].At
			}
			d.Users = append(d.Users, row)
		}
		return nil
	})
	return d, err
}

// UserChange is what an administrator changes about a user; nil fields stay.
// TeamID or AgencyID 0 takes the user out of their team or agency.
type UserChange struct {
	Roles    *[]auth.Role
	TeamID   *int64
	AgencyID *int64
	Disabled *bool
}

// ChangeUser applies ch to user id, audited as user.update. Disabling a
// user ends their sessions; an administrator cannot disable themselves or
// take away their own admin role (so that someone can always administer).
func (s *Service) ChangeUser(ctx context.Context, by Actor, id int64, ch UserChange) (auth.User, error) {
	if ch.Roles != nil {
		if len(*ch.Roles) == 0 {
			return auth.User{}, errs.Field("roles", "at least one role is required")
		}
		for _, r := range *ch.Roles {
			if _, err := auth.ParseRole(string(r)); err != nil {
				return auth.User{}, errs.Field("roles", "%s", errs.MessageOf(err))
			}
		}
	}
	if id == by.User.ID {
		if ch.Disabled != nil && *ch.Disabled {
			return auth.User{}, errs.Field("disabled", "you cannot disable yourself")
		}
		if ch.Roles != nil && by.User.Has(auth.Admin) && !hasRole(*ch.Roles, auth.Admin) {
			return auth.User{}, errs.Field("roles", "you cannot remove your own admin role")
		}
	}
	var out auth.User
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if ch.TeamID != nil && *ch.TeamID != 0 {
			if err := teamExists(ctx, tx, *ch.TeamID); err != nil {
				return err
			}
		}
		if ch.AgencyID != nil && *ch.AgencyID != 0 {
			if _, err := tx.Agency(ctx, *ch.AgencyID); errs.CodeOf(err) == errs.NotFound {
				return errs.Field("agency_id", "no such agency")
			} else if err != nil {
				return err
			}
		}
		var err error
		out, err = tx.UpdateUser(ctx, id, sqlstore.UserUpdate{Roles: ch.Roles, TeamID: ch.TeamID, AgencyID: ch.AgencyID, Disabled: ch.Disabled})
		if err != nil {
			return err
		}
		if ch.Disabled != nil && *ch.Disabled {
			if _, err := tx.DeleteUserSessions(ctx, id); err != nil {
				return err
			}
		}
		summary := map[string]any{"username": out.Username, "roles": out.Roles, "team_id": out.TeamID,
			"agency_id": out.AgencyID, "disabled": out.Disabled}
		return tx.AppendAudit(ctx, s.event(by, "user.update", "user", strconv.FormatInt(id, 10), summary))
	})
	return out, err
}

// UserByID returns user id.
func (s *Service) UserByID(ctx context.Context, id int64) (auth.User, error) {
	var u auth.User
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		u, err = tx.User(ctx, id)
		return err
	})
	return u, err
}

func hasRole(rs []auth.Role, r auth.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func teamExists(ctx context.Context, tx *sqlstore.Tx, id int64) error {
	teams, err := tx.Teams(ctx)
	if err != nil {
		return err
	}
	for _, t := range teams {
		if t.ID == id {
			return nil
		}
	}
	return errs.Field("team_id", "no such team")
}
