// Package outbox describes a message waiting to go to a borrower (an SMS
// or an email) and the pure rules of its life: when to try again after a
// failure, and what the contact governor's answer means for it.
//
// The outbox is a table written in the same transaction as the action that
// creates a message (the nightly run's reminder, a collector's "send SMS"),
// so a crash can neither lose a message nor create one for an action that
// rolled back. Each message has a unique DedupKey ("reminder:L-1001:
// 2026-03-10"): queueing the same one twice creates it once.
//
// Life of a message:
//
//	queued ──claim──▶ sending ──provider accepted──▶ sent ──report──▶ (delivered / failed delivery)
//	  ▲  ▲               │ │ └──permanent error or too many attempts──▶ failed
//	  │  └──transient────┘ └──governor: not now──▶ held (NotBefore = when the window opens)
//	  │                      └──governor: never───▶ blocked
//	  └──────────── held, once NotBefore has passed
//	cancelled: withdrawn before sending (the debt was paid, the case closed).
//
// The sender claims due messages by setting them to sending with a lease
// (a time after which another worker may take them over) and counting the
// attempt; the attempt number fences late writes from a worker that lost
// its lease. The outbox id is the idempotency key the provider sees (the SMS
// out_id, the email Message-ID), so a message sent again after a crash
// between sending and recording it is recognised downstream and delivered
// once.
//
// Nothing here reads a clock or a database: times are arguments.
package outbox
