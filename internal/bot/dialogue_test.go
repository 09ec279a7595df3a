package bot

import (
	"strings"
	"testing"

	"accord/internal/date"
	"accord/internal/money"
)

// chat runs messages through Parse and Reply as the portal will, and
// returns every turn.
func chat(t *testing.T, lang Lang, ref string, msgs ...string) []Turn {
	t.Helper()
	d := date.MustParse(ref)
	s := State{Lang: lang}
	var turns []Turn
	for _, m := range msgs {
		tu := Reply(s, Parse(m, d), d)
		if tu.Text == "" {
			t.Fatalf("%q: empty reply", m)
		}
		turns = append(turns, tu)
		s = tu.State
	}
	return turns
}

func TestReply_PromiseAsksForWhatIsMissing(t *testing.T) {
	t.Parallel()
	turns := chat(t, Zh, "2026-12-03", "我会还的", "发工资那天吧", "下周五", "一半", "两千", "对")
	wantAsk := []Ask{AskDate, AskDate, AskAmount, AskAmount, AskConfirm, AskNothing}
	for i, tu := range turns {
		if tu.Ask != wantAsk[i] {
			t.Errorf("turn %d: ask %q, want %q (%s)", i, tu.Ask, wantAsk[i], tu.Text)
		}
		if i < 5 && tu.Action != ActNone {
			t.Errorf("turn %d: action %q before the borrower confirmed", i, tu.Action)
		}
	}
	last := turns[5]
	if last.Action != ActRecordPromise || last.Date != date.MustParse("2026-12-11") || last.Amount != money.Yuan(2000) {
		t.Fatalf("last turn: %+v; want the promise of 2000.00 on 2026-12-11 recorded", last)
	}
	if !strings.Contains(turns[4].Text, "2026年12月11日") || !strings.Contains(turns[4].Text, "2000.00") {
		t.Errorf("confirmation does not repeat the promise: %s", turns[4].Text)
	}
	if last.State.Step != StepStart {
		t.Errorf("state after recording: %+v", last.State)
	}
}

func TestReply_PromiseInOneMessage(t *testing.T) {
	t.Parallel()
	turns := chat(t, En, "2026-12-03", "I'll pay 500 next Friday", "yes")
	if turns[0].Ask != AskConfirm || turns[1].Action != ActRecordPromise || turns[1].Amount != money.Yuan(500) ||
		turns[1].Date != date.MustParse("2026-12-11") {
		t.Fatalf("turns: %+v", turns)
	}
	if !strings.Contains(turns[0].Text, "500.00") || !strings.Contains(turns[0].Text, "11 December 2026") {
		t.Errorf("English confirmation: %s", turns[0].Text)
	}
}

func TestReply_NoAtConfirmationStartsAgain(t *testing.T) {
	t.Parallel()
	turns := chat(t, Zh, "2026-12-03", "明天还500", "不对", "15号还800", "是的")
	if turns[1].Ask != AskDate || turns[1].Action != ActNone {
		t.Fatalf("after no: %+v", turns[1])
	}
	if turns[3].Action != ActRecordPromise || turns[3].Amount != money.Yuan(800) || turns[3].Date != date.MustParse("2026-12-15") {
		t.Fatalf("recorded %+v", turns[3])
	}
}

func TestReply_PastDateIsAskedAgain(t *testing.T) {
	t.Parallel()
	turns := chat(t, Zh, "2026-12-03", "我会还", "昨天")
	if turns[1].Ask != AskDate || turns[1].State.Date != 0 {
		t.Fatalf("a past date was taken: %+v", turns[1])
	}
}

func TestReply_HandsOverAfterMisses(t *testing.T) {
	t.Parallel()
	turns := chat(t, Zh, "2026-12-03", "我会还", "尽快吧", "过几天", "等等")
	last := turns[len(turns)-1]
	if last.Action != ActHandOver || !last.Handover || last.State.Step != StepHandedOver {
		t.Fatalf("after three misses: %+v", last)
	}
}

func TestReply_VulnerableGoesToAPerson(t *testing.T) {
	t.Parallel()
	for _, msgs := range [][]string{
		{"我不想活了"},
		{"明天还500", "我妈刚去世，我真的撑不下去了"}, // in the middle of a promise
		{"I can't cope anymore, I want to end it all"},
	} {
		turns := chat(t, Zh, "2026-12-03", msgs...)
		last := turns[len(turns)-1]
		if last.Action != ActHandOver || !last.Handover || last.State.Step != StepHandedOver {
			t.Errorf("%q: %+v", msgs, last)
		}
		if strings.Contains(last.Text, "还款") && !strings.Contains(last.Text, "不需要现在处理还款") {
			t.Errorf("%q: reply presses for payment: %s", msgs, last.Text)
		}
	}
}

func TestReply_Actions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		msg      string
		want     Action
		handover bool
	}{
		{"我已经还了", ActLookUpPayment, false},
		{"这不是我借的钱", ActOpenDispute, false},
		{"我要投诉你们的催收员", ActRecordComplaint, true},
		{"别再打电话了", ActRecordStopContact, false},
		{"转人工", ActHandOver, true},
		{"能不能分期", ActOpenAffordability, false},
		{"我失业了，真的还不上", ActOpenAffordability, false},
		{"我还欠多少钱", ActAnswerBalance, false},
		{"怎么还款", ActAnswerHowToPay, false},
		{"你好", ActNone, false},
	}
	for _, tt := range tests {
		tu := chat(t, Zh, "2026-12-03", tt.msg)[0]
		if tu.Action != tt.want || tu.Handover != tt.handover {
			t.Errorf("%q: action %q handover %t, want %q %t", tt.msg, tu.Action, tu.Handover, tt.want, tt.handover)
		}
	}
}

func TestReply_QuestionDuringPromiseKeepsIt(t *testing.T) {
	t.Parallel()
	turns := chat(t, Zh, "2026-12-03", "下周五还", "怎么还款", "两千", "对")
	if turns[1].Action != ActAnswerHowToPay || turns[1].State.Step != StepAskAmount {
		t.Fatalf("question: %+v", turns[1])
	}
	if turns[3].Action != ActRecordPromise || turns[3].Amount != money.Yuan(2000) {
		t.Fatalf("recorded: %+v", turns[3])
	}
}

func TestReply_ChangeOfSubjectEndsPromise(t *testing.T) {
	t.Parallel()
	turns := chat(t, Zh, "2026-12-03", "我会还", "其实我已经还过了")
	if turns[1].Action != ActLookUpPayment || turns[1].State.Step != StepStart {
		t.Fatalf("%+v", turns[1])
	}
}

func TestReply_EveryReplyInBothLanguages(t *testing.T) {
	t.Parallel()
	for key, pair := range replies {
		if pair[0] == "" || pair[1] == "" {
			t.Errorf("reply %q lacks a language", key)
		}
	}
}
