package sqlstore

import (
	"context"
	"fmt"
	"time"

	"accord/internal/casework"
	"accord/internal/date"
)

// The kinds of task.
const (
	TaskCall        = "call"        // 电催: call the borrower
	TaskNegotiation = "negotiation" // 二次协商: propose the offer in Detail
	TaskVisit       = "visit"       // 外访: a visit recommendation for a supervisor to approve
	TaskLegal       = "legal"       // 司法: review for litigation
	TaskAgency      = "agency"      // 委外: the placed agency works the case
)

// The statuses of a task.
const (
	TaskOpen      = "open"
	TaskDone      = "done"
	TaskCancelled = "cancelled" // the strategy no longer asks for it, or the case closed
)

// Task is work for a person or a queue. DedupKey makes creating it
// idempotent ("case:12:call:early:2026-03-02"). Assignee is the case owner
// for calls, negotiations and placements, and zero (the queue) for visits
// and legal reviews.
type Task struct {
	ID         int64          `json:"id"`
	CaseID     int64          `json:"case_id"`
	BorrowerID int64          `json:"borrower_id"`
	Kind       string         `json:"kind"`
	Queue      string         `json:"queue"`
	Priority   int            `json:"priority"`
	DueOn      date.Date      `json:"due_on"`
	Status     string         `json:"status"`
	Assignee   casework.Owner `json:"assignee"`
	Rule       string         `json:"rule"`
	Detail     string         `json:"detail,omitempty"`
	Outcome    string         `json:"outcome,omitempty"`
	DedupKey   string         `json:"dedup_key"`
	CreatedOn  date.Date      `json:"created_on"`
	CreatedAt  time.Time      `json:"created_at"`
	ClosedAt   time.Time      `json:"closed_at,omitzero"`
}

const taskCols = `id, case_id, borrower_id, kind, queue, priority, due_on, status, assignee_kind, assignee_id, rule,
	detail, outcome, dedup_key, created_on, created_at, closed_at`

func scanTask(scan func(...any) error) (Task, error) {
	var t Task
	var kind string
	err := scan(num(&t.ID), num(&t.CaseID), num(&t.BorrowerID), &t.Kind, &t.Queue, num(&t.Priority), &t.DueOn, &t.Status,
		&kind, num(&t.Assignee.ID), &t.Rule, &t.Detail, &t.Outcome, &t.DedupKey, &t.CreatedOn, instant{&t.CreatedAt},
		instant{&t.ClosedAt})
	t.Assignee.Kind = casework.OwnerKind(kind)
	return t, err
}

// InsertTasks creates tasks, skipping any whose DedupKey exists, and
// returns how many it created. Status is open and CreatedAt the
// transaction's time.
func (tx *Tx) InsertTasks(ctx context.Context, list []Task) (int, error) {
	created := 0
	const cols = 14
	per := min(tx.db.d.maxParams/cols, 500)
	for start := 0; start < len(list); start += per {
		part := list[start:min(start+per, len(list))]
		args := make([]any, 0, len(part)*cols)
		for i := range part {
			t := &part[i]
			t.Status, t.CreatedAt = TaskOpen, tx.now
			args = append(args, t.CaseID, t.BorrowerID, t.Kind, t.Queue, t.Priority, t.DueOn, t.Status,
				string(t.Assignee.Kind), t.Assignee.ID, t.Rule, t.Detail, t.DedupKey, t.CreatedOn, ts(t.CreatedAt))
		}
		res, err := tx.exec(ctx, `INSERT INTO tasks (case_id, borrower_id, kind, queue, priority, due_on, status, assignee_kind,
			assignee_id, rule, detail, dedup_key, created_on, created_at) VALUES `+rowsOf(len(part), cols)+
			" ON CONFLICT (dedup_key) DO NOTHING", args...)
		if err != nil {
			return created, fmt.Errorf("insert tasks: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return created, interpretError(err)
		}
		created += int(n)
	}
	return created, nil
}

// OpenTasks returns the open tasks of cases ids, by case id, oldest first.
func (tx *Tx) OpenTasks(ctx context.Context, ids []int64) (map[int64][]Task, error) {
	out := map[int64][]Task{}
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		rows, err := tx.query(ctx, "SELECT "+taskCols+" FROM tasks WHERE status = 'open' AND case_id IN ("+
			placeholders(len(part))+") ORDER BY case_id, id", int64Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("load open tasks: %w", err)
		}
		for rows.Next() {
			t, err := scanTask(rows.Scan)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan task: %w", err)
			}
			out[t.CaseID] = append(out[t.CaseID], t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
	}
	return out, nil
}

// TaskFilter selects tasks; nil fields do not filter.
type TaskFilter struct {
	CaseID   *int64
	Status   *string
	Queue    *string
	Kind     *string
	Assignee *casework.Owner // the zero Owner selects tasks for a queue, not a person

	Limit, Offset int
}

// Tasks returns a page of the tasks f selects, by priority then age, and how
// many it selects in all.
func (tx *Tx) Tasks(ctx context.Context, f TaskFilter) ([]Task, int, error) {
	var w where
	if f.CaseID != nil {
		w.add("case_id = ?", *f.CaseID)
	}
	if f.Status != nil {
		w.add("status = ?", *f.Status)
	}
	if f.Queue != nil {
		w.add("queue = ?", *f.Queue)
	}
	if f.Kind != nil {
		w.add("kind = ?", *f.Kind)
	}
	if f.Assignee != nil {
		w.add("assignee_kind = ? AND assignee_id = ?", string(f.Assignee.Kind), f.Assignee.ID)
	}
	var total int
	if err := tx.get(ctx, "Tasks", "SELECT COUNT(*) FROM tasks"+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count tasks: %w", err)
	}
	rows, err := tx.query(ctx, "SELECT "+taskCols+" FROM tasks"+w.String()+" ORDER BY priority, id"+page(f.Limit, f.Offset), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list tasks: %w", err)
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		t, err := scanTask(rows.Scan)
		if err != nil {
			return nil, 0, fmt.Errorf("scan task: %w", err)
		}
		out = append(out, t)
	}
	return out, total, interpretError(rows.Err())
}

// CloseTasks sets the status (done or cancelled) and outcome of the open
// tasks ids and returns how many it closed; tasks already closed are left
// as they are.
func (tx *Tx) CloseTasks(ctx context.Context, ids []int64, status, outcome string) (int, error) {
	closed := 0
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		res, err := tx.exec(ctx, "UPDATE tasks SET status = ?, outcome = ?, closed_at = ? WHERE status = 'open' AND id IN ("+
			placeholders(len(part))+")", append([]any{status, outcome, ts(tx.now)}, int64Args(part)...)...)
		if err != nil {
			return closed, fmt.Errorf("close tasks: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return closed, interpretError(err)
		}
		closed += int(n)
	}
	return closed, nil
}

// ReassignTasks gives the open call, negotiation and agency tasks of cases
// ids to owner to; visits and legal reviews stay with their queue.
func (tx *Tx) ReassignTasks(ctx context.Context, ids []int64, to casework.Owner) error {
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		_, err := tx.exec(ctx, `UPDATE tasks SET assignee_kind = ?, assignee_id = ? WHERE status = 'open'
			AND kind IN ('call', 'negotiation', 'agency') AND case_id IN (`+placeholders(len(part))+")",
			append([]any{string(to.Kind), to.ID}, int64Args(part)...)...)
		if err != nil {
			return fmt.Errorf("reassign tasks: %w", err)
		}
	}
	return nil
}
