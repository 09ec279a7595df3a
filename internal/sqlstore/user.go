package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"accord/internal/auth"
)

const userCols = "id, username, display_name, password_hash, roles, team_id, agency_id, language, disabled, created_at"

func (tx *Tx) scanUser(scan func(...any) error) (auth.User, error) {
	var (
		u     auth.User
		roles string
	)
	if err := scan(&u.ID, &u.Username, &u.DisplayName, &u.PasswordHash, &roles, &u.TeamID, &u.AgencyID, &u.Language,
		&u.Disabled, instant{&u.CreatedAt}); err != nil {
		return u, err
	}
	return u, fromJSON(roles, &u.Roles)
}

// User returns the user with id. It returns a NotFound error if there is none.
func (tx *Tx) User(ctx context.Context, id int64) (auth.User, error) {
	return tx.oneUser(ctx, "id = ?", id, fmt.Sprintf("User %d", id))
}

// UserByUsername returns the user named username. It returns a NotFound
// error if there is none.
func (tx *Tx) UserByUsername(ctx context.Context, username string) (auth.User, error) {
	return tx.oneUser(ctx, "username = ?", username, fmt.Sprintf("User %q", username))
}

func (tx *Tx) oneUser(ctx context.Context, cond string, arg any, what string) (auth.User, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+userCols+" FROM users WHERE "+cond), arg)
	u, err := tx.scanUser(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound(what)
	}
	return u, interpretError(err)
}

// UserFilter selects users. Pointer fields filter only when set.
type UserFilter struct {
	Role     *auth.Role
	TeamID   *int64
	AgencyID *int64
	Disabled *bool

	Limit, Offset int
}

// Users returns a page of the users f selects, ordered by username, and how
// many it selects in all.
func (tx *Tx) Users(ctx context.Context, f UserFilter) ([]auth.User, int, error) {
	var w where
	if f.Role != nil {
		w.add("roles LIKE ?", `%"`+string(*f.Role)+`"%`)
	}
	if f.TeamID != nil {
		w.add("team_id = ?", *f.TeamID)
	}
	if f.AgencyID != nil {
		w.add("agency_id = ?", *f.AgencyID)
	}
	if f.Disabled != nil {
		w.add("disabled = ?", *f.Disabled)
	}
	var total int
	if err := tx.get(ctx, "Users", "SELECT COUNT(*) FROM users"+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	rows, err := tx.query(ctx, "SELECT "+userCols+" FROM users"+w.String()+" ORDER BY username"+page(f.Limit, f.Offset), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var list []auth.User
	for rows.Next() {
		u, err := tx.scanUser(rows.Scan)
		if err != nil {
			return nil, 0, fmt.Errorf("scan user: %w", err)
		}
		list = append(list, u)
	}
	return list, total, interpretError(rows.Err())
}

// CreateUser inserts u and sets its ID and CreatedAt. It returns a Conflict
// error if the username is taken.
func (tx *Tx) CreateUser(ctx context.Context, u *auth.User) error {
	roles, err := toJSON(u.Roles)
	if err != nil {
		return err
	}
	if u.Language == "" {
		u.Language = "zh-CN"
	}
	u.CreatedAt = tx.now
	err = tx.get(ctx, "User", `INSERT INTO users (username, display_name, password_hash, roles, team_id, agency_id,
		language, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{u.Username, u.DisplayName, u.PasswordHash, roles, u.TeamID, u.AgencyID, u.Language, u.Disabled,
			ts(u.CreatedAt)}, &u.ID)
	if err != nil {
		return fmt.Errorf("create user: %w", conflict(err, "User %q already exists.", u.Username))
	}
	return nil
}

// UserUpdate lists the fields UpdateUser changes; nil fields stay as they are.
type UserUpdate struct {
	DisplayName  *string
	PasswordHash *string
	Roles        *[]auth.Role
	TeamID       *int64
	AgencyID     *int64
	Language     *string
	Disabled     *bool
}

// UpdateUser changes the fields of user id that upd sets and returns the
// user as stored afterwards. It returns a NotFound error if there is none.
func (tx *Tx) UpdateUser(ctx context.Context, id int64, upd UserUpdate) (auth.User, error) {
	u, err := tx.User(ctx, id)
	if err != nil {
		return u, err
	}
	set(&u.DisplayName, upd.DisplayName)
	set(&u.PasswordHash, upd.PasswordHash)
	set(&u.Roles, upd.Roles)
	set(&u.TeamID, upd.TeamID)
	set(&u.AgencyID, upd.AgencyID)
	set(&u.Language, upd.Language)
	set(&u.Disabled, upd.Disabled)
	roles, err := toJSON(u.Roles)
	if err != nil {
		return u, err
	}
	_, err = tx.exec(ctx, `UPDATE users SET display_name = ?, password_hash = ?, roles = ?, team_id = ?, agency_id = ?,
		language = ?, disabled = ? WHERE id = ?`,
		u.DisplayName, u.PasswordHash, roles, u.TeamID, u.AgencyID, u.Language, u.Disabled, id)
	if err != nil {
		return u, fmt.Errorf("update user %d: %w", id, err)
	}
	return u, nil
}
