// Package chat is the borrower chatbot's use cases: the dialogue of
// package bot with storage and actions, behind the portal's chat widget
// (PortalMessage, PortalHistory) and the messaging-channel endpoint
// (ChannelMessage, POST /api/v1/bot/messages).
//
// A conversation is one borrower on one channel (the portal, or an
// integration's channel with its reference of the borrower). Every message
// the borrower writes and every reply of the bot is a contact record
// (channel bot): the message is logged as an inbound contact through the
// contact governor with the results it carries (a dispute, a request to
// stop contact, a complaint, hardship, vulnerability), which set the
// borrower's flags exactly as a collector's contact record would; the
// reply is checked by the governor (content screening, hours and every
// other rule; see govern for the live-chat rule) before it is sent. The
// dialogue's state (what the bot waits for: a date, an amount, a
// confirmation, a payment reference) is stored with the conversation, so
// a conversation continues across requests and restarts; a message id
// sent again gets the first answer and nothing is done twice.
//
// The bot acts through the same rules as people: a promise whose date and
// amount the borrower confirmed goes into the promise book (collect's
// Promises, negotiation's rules) and its confirmation SMS through the
// governor into the outbox; a request for a person, a complaint, a
// dispute, a payment to check and, at once and first, a vulnerable
// borrower become tasks for people; the balance is replayed from the
// ledger. The bot never invents a date or an amount: package bot asks.
// docs/BOT.md describes the whole.
package chat
