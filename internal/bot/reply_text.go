package bot

import (
	"fmt"
	"time"
)

// replies are the bot's sentences by key and language. They never threaten,
// never pressure a vulnerable borrower, and point only to the lender's
// official payment channels (docs/BOT.md, "Replies").
var replies = map[string][2]string{ // zh, en
	"ask_date": {"好的。请问您具体哪一天还款？请告诉我一个确定的日期，例如“12月15日”。",
		"Thank you. On which exact date will you pay? Please give a date, for example \"15 December\"."},
	"ask_date_again": {"好的，我们重新确认。请问您具体哪一天还款？",
		"All right, let's start again. On which exact date will you pay?"},
	"date_past": {"这个日期已经过去了。请问您打算哪一天还款？",
		"That date has already passed. On which date will you pay?"},
	"ask_amount": {"请问您%s打算还多少钱？请告诉我具体金额，例如“500元”。",
		"How much will you pay%s? Please give an exact amount, for example \"500 yuan\"."},
	"confirm": {"跟您确认一下：您承诺在%s还款%s元，对吗？请回复“对”或“不对”。",
		"To confirm: you promise to pay %[2]s yuan on %[1]s. Is that right? Please reply yes or no."},
	"promise_recorded": {"已记录您的还款承诺：%s还款%s元。请通过官方渠道还款，谢谢您的配合。",
		"Your promise is recorded: %[2]s yuan on %[1]s. Please pay through our official channels. Thank you."},
	"already_paid": {"收到，我们会核实您的还款记录，核实后会通知您。如方便，请提供还款时间、金额或凭证截图。",
		"Thank you. We will check your payment and let you know. If you can, please send the date, the amount or a receipt."},
	"dispute": {"我们已记录您的异议，专人会核实后与您联系。核实期间您可以随时补充材料。",
		"We have recorded your dispute. A specialist will look into it and contact you; you can send us documents at any time."},
	"complaint": {"非常抱歉给您带来不好的体验。您的投诉已记录，将由专人处理并尽快回复您。",
		"We are sorry for your experience. Your complaint is recorded and a person will handle it and reply to you."},
	"stop_contact": {"已记录您的要求，我们会按您的要求调整联系方式。如需查询或还款，您可以随时在这里留言。",
		"Your request is recorded and we will change how we contact you accordingly. You can write here at any time."},
	"request_human": {"好的，正在为您转接人工服务，请稍候。",
		"Of course. We are passing you to a member of staff; please wait a moment."},
	"vulnerable": {"听到您的情况，我们很关心您。我们马上请同事与您联系，您不需要现在处理还款。如果您有伤害自己的想法，请立即拨打心理援助热线 12356，紧急情况请拨打 120 或 110。",
		"We are sorry to hear this and we want to help. A member of staff will contact you; you do not need to deal with payments now. If you are thinking of harming yourself, please call the 12356 support line now, or 120 or 110 in an emergency."},
	"affordability": {"理解您的困难。请填写一份收支情况表，我们会根据您的实际情况评估可行的还款方案。",
		"We understand. Please fill in a short income and expenses form so that we can work out a plan you can afford."},
	"balance": {"您的欠款明细如下：", "Here is what you owe:"},
	"how_to_pay": {"请通过官方渠道还款：App 的“还款”页面，或我们的对公账户。我们不会要求您转账到任何个人账户。",
		"Please pay through our official channels: the Repay page of the app, or our company bank account. We never ask you to pay into a personal account."},
	"clarify": {"抱歉，我没有理解。请问您是想：承诺还款、查询欠款、了解还款方式、申请分期，还是转人工？",
		"Sorry, I did not understand. Would you like to promise a payment, check your balance, ask how to pay, ask for a plan, or talk to a person?"},
	"give_up": {"抱歉没能帮到您，正在为您转接人工服务。",
		"Sorry I could not help. We are passing you to a member of staff."},
	"waiting_person": {"您的对话已转给人工，请稍候，工作人员会尽快回复您。",
		"A member of staff has your conversation and will reply shortly."},
}

// text renders reply key in lang with the turn's date and amount.
func text(lang Lang, key string, t Turn) string {
	pair, ok := replies[key]
	if !ok {
		panic("bot: no reply " + key)
	}
	i := 0
	if lang == En {
		i = 1
	}
	switch key {
	case "ask_amount":
		when := ""
		if t.State.Date != 0 {
			when = dateText(lang, t.State.Date)
			if lang == En {
				when = " on " + when
			}
		}
		return fmt.Sprintf(pair[i], when)
	case "confirm", "promise_recorded":
		return fmt.Sprintf(pair[i], dateText(lang, t.Date), t.Amount.String())
	}
	return pair[i]
}

func dateText(lang Lang, d interface{ Parts() (int, time.Month, int) }) string {
	y, m, dd := d.Parts()
	if lang == En {
		return fmt.Sprintf("%d %s %d", dd, m, y)
	}
	return fmt.Sprintf("%d年%d月%d日", y, int(m), dd)
}
