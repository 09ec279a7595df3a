package negotiation

import (
	"context"
	"fmt"
	"strings"

	"accord/internal/date"
	"accord/internal/plan"
)

// TaskRevisit is the task kind of a plan revisit (回访).
const TaskRevisit = "revisit"

// QueueNegotiation is the queue of the revisits of closed plan cases no
// collector owns.
const QueueNegotiation = "negotiation"

// revisit creates the revisit due on due once: a task for the case owner
// with what to ask, and a case event. A revisit can lead to a new round and
// an adjusted plan (the records side's use cases).
func (m monitor) revisit(ctx context.Context, due date.Date) (bool, error) {
	good := m.st.GoodPayer()
	zh, en := "回访：还款计划执行情况", "Revisit: how the plan is going"
	if good {
		zh, en = zh+"（按时还款，6 个月回访）", en+" (paying well: six-monthly)"
	}
	ok, err := m.once(ctx, "revisit", due.String(), due, "plan.revisit", zh, en)
	if err != nil || !ok {
		return false, err
	}
	detail := fmt.Sprintf("计划 %d 回访 / Plan %d revisit (%s). 已还 / paid %s, 待还 / remaining %s, 逾期 / overdue %s.\n%s",
		m.row.ID, m.row.ID, due, m.st.Paid, m.st.Remaining, m.st.Overdue, strings.Join(plan.RevisitQuestions, "\n"))
	return true, m.task(ctx, TaskRevisit, "plan_revisit", due, due.String(), detail)
}
