// Package bot is the understanding engine of Accord's borrower chatbot: it
// reads one message a borrower typed (Chinese or English, colloquial, with
// typos and traditional characters) and says what the borrower wants (the
// intent), the date and the amount they stated, the cause of a hardship and
// whether the message shows a vulnerable borrower who must be handed to a
// person. Reply turns a parsed message and the conversation so far into the
// next step: what to ask, what to say (zh or en) and what the caller should
// do (record a promise to pay, open the affordability form, open a dispute,
// record a request to stop contact, look up a payment, answer the balance,
// hand over to a person).
//
// The package is pure: the reference date is passed in; there is no clock,
// no database and no network. It uses a small lexicon of its own (keyword
// and pattern rules over a normalised text) instead of a segmenter, so that
// it adds little memory and answers in microseconds.
//
// The bot never invents a date or an amount it did not understand: "发工资那天"
// has no date and "一半" no amount, and Reply asks for them. Jargon:
//
//   - promise to pay (承诺还款, PTP): a date and an amount the borrower says
//     they will pay;
//   - hardship: the borrower says they cannot pay, and why (the reason);
//   - vulnerable: serious illness, bereavement, acute distress or any hint
//     of self-harm; such a message always goes to a person.
//
// The rules are documented in docs/BOT.md.
package bot
