package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/casework"
	"accord/internal/date"
)

// Team is a group of collectors under one supervisor.
type Team struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Collector is a casework.Collector as stored: Team is the team's name and
// Load the open cases they hold; UserID links their console user (0 for
// none).
type Collector struct {
	casework.Collector
	UserID    int64     `json:"user_id"`
	TeamID    int64     `json:"team_id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Agency is a casework.Agency as stored, with its contract dates (zero when
// open-ended); Load is its open placements.
type Agency struct {
	casework.Agency
	ContractStart date.Date `json:"contract_start,omitzero"`
	ContractEnd   date.Date `json:"contract_end,omitzero"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// CreateTeam stores t and sets its ID. It returns a Conflict error if the
// name is taken.
func (tx *Tx) CreateTeam(ctx context.Context, t *Team) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = tx.now
	}
	err := tx.get(ctx, "Team", "INSERT INTO teams (name, created_at) VALUES (?, ?) RETURNING id",
		[]any{t.Name, ts(t.CreatedAt)}, &t.ID)
	return conflict(err, "Team %q already exists.", t.Name)
}

// Teams returns every team by name.
func (tx *Tx) Teams(ctx context.Context) ([]Team, error) {
	rows, err := tx.query(ctx, "SELECT id, name, created_at FROM teams ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	defer rows.Close()
	var out []Team
	for rows.Next() {
		var t Team
		if err := rows.Scan(&t.ID, &t.Name, instant{&t.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan team: %w", err)
		}
		out = append(out, t)
	}
	return out, interpretError(rows.Err())
}

const collectorCols = `c.id, c.user_id, c.name, c.team_id, t.name, c.languages, c.regions, c.buckets, c.queues, c.capacity,
	c.active, c.created_at, c.updated_at, (SELECT COUNT(*) FROM cases k WHERE k.owner_id = c.id AND k.owner_kind = 'collector'
	AND k.status = 'open')`

func scanCollector(scan func(...any) error) (Collector, error) {
	var c Collector
	var langs, regions, buckets, queues string
	err := scan(&c.ID, &c.UserID, &c.Name, &c.TeamID, &c.Team, &langs, &regions, &buckets, &queues, num(&c.Capacity),
		&c.Active, instant{&c.CreatedAt}, instant{&c.UpdatedAt}, num(&c.Load))
	if err != nil {
		return c, err
	}
	for _, f := range []struct {
		s string
		v *[]string
	}{{langs, &c.Languages}, {regions, &c.Regions}, {buckets, &c.Buckets}, {queues, &c.Queues}} {
		if err := fromJSON(f.s, f.v); err != nil {
			return c, err
		}
	}
	return c, nil
}

// CollectorFilter selects collectors; nil fields do not filter.
type CollectorFilter struct {
	TeamID *int64
	Active *bool
	UserID *int64
}

// Collectors returns the collectors f selects, by team and name, with their
// open cases as Load.
func (tx *Tx) Collectors(ctx context.Context, f CollectorFilter) ([]Collector, error) {
	var w where
	if f.TeamID != nil {
		w.add("c.team_id = ?", *f.TeamID)
	}
	if f.Active != nil {
		w.add("c.active = ?", *f.Active)
	}
	if f.UserID != nil {
		w.add("c.user_id = ?", *f.UserID)
	}
	rows, err := tx.query(ctx, "SELECT "+collectorCols+" FROM collectors c JOIN teams t ON t.id = c.team_id"+w.String()+
		" ORDER BY t.name, c.name, c.id", w.args...)
	if err != nil {
		return nil, fmt.Errorf("list collectors: %w", err)
	}
	defer rows.Close()
	var out []Collector
	for rows.Next() {
		c, err := scanCollector(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan collector: %w", err)
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}

// Collector returns collector id. It returns a NotFound error if there is
// none.
func (tx *Tx) Collector(ctx context.Context, id int64) (Collector, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+collectorCols+
		" FROM collectors c JOIN teams t ON t.id = c.team_id WHERE c.id = ?"), id)
	c, err := scanCollector(row.Scan)
	if err != nil {
		return c, noRow(err, fmt.Sprintf("Collector %d", id))
	}
	return c, nil
}

// CollectorByUser returns the collector linked to user id. It returns a
// NotFound error if the user is not a collector.
func (tx *Tx) CollectorByUser(ctx context.Context, userID int64) (Collector, error) {
	list, err := tx.Collectors(ctx, CollectorFilter{UserID: &userID})
	if err != nil {
		return Collector{}, err
	}
	if len(list) == 0 || userID == 0 {
		return Collector{}, notFound(fmt.Sprintf("Collector for user %d", userID))
	}
	return list[0], nil
}

// CreateCollector stores c and sets its ID and times. It returns an Invalid
// error if the team does not exist and a Conflict error if the user is
// already a collector.
func (tx *Tx) CreateCollector(ctx context.Context, c *Collector) error {
	stamp(&c.CreatedAt, &c.UpdatedAt, tx.now)
	args, err := collectorArgs(c)
	if err != nil {
		return err
	}
	err = tx.get(ctx, "Collector", `INSERT INTO collectors (user_id, name, team_id, languages, regions, buckets, queues,
		capacity, active, created_at, updated_at) VALUES (`+placeholders(11)+") RETURNING id",
		append(args, ts(c.CreatedAt), ts(c.UpdatedAt)), &c.ID)
	return conflict(err, "User %d is already a collector.", c.UserID)
}

func collectorArgs(c *Collector) ([]any, error) {
	args := []any{c.UserID, c.Name, c.TeamID}
	for _, l := range [][]string{c.Languages, c.Regions, c.Buckets, c.Queues} {
		s, err := toJSON(l)
		if err != nil {
			return nil, err
		}
		args = append(args, s)
	}
	return append(args, c.Capacity, c.Active), nil
}

// UpdateCollector replaces collector c.ID's team, name, skills, capacity and
// active flag. It returns a NotFound error if there is no such collector.
func (tx *Tx) UpdateCollector(ctx context.Context, c *Collector) error {
	c.UpdatedAt = tx.now
	args, err := collectorArgs(c)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE collectors SET user_id = ?, name = ?, team_id = ?, languages = ?, regions = ?,
		buckets = ?, queues = ?, capacity = ?, active = ?, updated_at = ? WHERE id = ?`, append(args, ts(c.UpdatedAt), c.ID)...)
	if err != nil {
		return fmt.Errorf("update collector %d: %w", c.ID, err)
	}
	return affected(res, fmt.Sprintf("Collector %d", c.ID))
}

const agencyCols = `a.id, a.name, a.whitelisted, a.capacity, a.commission, a.regions, a.buckets, a.contract_start,
	a.contract_end, a.created_at, a.updated_at, (SELECT COUNT(*) FROM cases k WHERE k.owner_id = a.id AND
	k.owner_kind = 'agency' AND k.status = 'open')`

func scanAgency(scan func(...any) error) (Agency, error) {
	var a Agency
	var regions, buckets string
	err := scan(&a.ID, &a.Name, &a.Whitelisted, num(&a.Capacity), &a.Commission, &regions, &buckets, &a.ContractStart,
		&a.ContractEnd, instant{&a.CreatedAt}, instant{&a.UpdatedAt}, num(&a.Load))
	if err != nil {
		return a, err
	}
	if err := fromJSON(regions, &a.Regions); err != nil {
		return a, err
	}
	return a, fromJSON(buckets, &a.Buckets)
}

// Agencies returns every agency by name, with its open placements as Load.
func (tx *Tx) Agencies(ctx context.Context) ([]Agency, error) {
	rows, err := tx.query(ctx, "SELECT "+agencyCols+" FROM agencies a ORDER BY a.name")
	if err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	defer rows.Close()
	var out []Agency
	for rows.Next() {
		a, err := scanAgency(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan agency: %w", err)
		}
		out = append(out, a)
	}
	return out, interpretError(rows.Err())
}

// Agency returns agency id. It returns a NotFound error if there is none.
func (tx *Tx) Agency(ctx context.Context, id int64) (Agency, error) {
	row := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT "+agencyCols+" FROM agencies a WHERE a.id = ?"), id)
	a, err := scanAgency(row.Scan)
	if err != nil {
		return a, noRow(err, fmt.Sprintf("Agency %d", id))
	}
	return a, nil
}

func agencyArgs(a *Agency) ([]any, error) {
	regions, err := toJSON(a.Regions)
	if err != nil {
		return nil, err
	}
	buckets, err := toJSON(a.Buckets)
	if err != nil {
		return nil, err
	}
	return []any{a.Name, a.Whitelisted, a.Capacity, a.Commission.String(), regions, buckets, a.ContractStart, a.ContractEnd}, nil
}

// CreateAgency stores a and sets its ID and times. It returns a Conflict
// error if the name is taken.
func (tx *Tx) CreateAgency(ctx context.Context, a *Agency) error {
	stamp(&a.CreatedAt, &a.UpdatedAt, tx.now)
	args, err := agencyArgs(a)
	if err != nil {
		return err
	}
	err = tx.get(ctx, "Agency", `INSERT INTO agencies (name, whitelisted, capacity, commission, regions, buckets,
		contract_start, contract_end, created_at, updated_at) VALUES (`+placeholders(10)+") RETURNING id",
		append(args, ts(a.CreatedAt), ts(a.UpdatedAt)), &a.ID)
	return conflict(err, "Agency %q already exists.", a.Name)
}

// UpdateAgency replaces agency a.ID's settings. It returns a NotFound error
// if there is no such agency.
func (tx *Tx) UpdateAgency(ctx context.Context, a *Agency) error {
	a.UpdatedAt = tx.now
	args, err := agencyArgs(a)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE agencies SET name = ?, whitelisted = ?, capacity = ?, commission = ?, regions = ?,
		buckets = ?, contract_start = ?, contract_end = ?, updated_at = ? WHERE id = ?`, append(args, ts(a.UpdatedAt), a.ID)...)
	if err != nil {
		return fmt.Errorf("update agency %d: %w", a.ID, conflict(err, "Agency %q already exists.", a.Name))
	}
	return affected(res, fmt.Sprintf("Agency %d", a.ID))
}

// CollectorIDByUser returns the id of the collector linked to user id,
// without their load: what "Get next case" needs. It returns a NotFound
// error if the user is not a collector.
func (tx *Tx) CollectorIDByUser(ctx context.Context, userID int64) (int64, error) {
	var id int64
	err := tx.get(ctx, fmt.Sprintf("Collector for user %d", userID), "SELECT id FROM collectors WHERE user_id = ? AND user_id <> 0",
		[]any{userID}, num(&id))
	return id, err
}
