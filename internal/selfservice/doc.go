// Package selfservice is the borrower's side of Accord: the use cases a
// borrower starts on the self-service portal (自助还款门户), and that the
// chatbot starts on their behalf. Every use case acts as one borrower and
// reaches only that borrower's own loans and case; no staff permission is
// involved or reachable.
//
//   - Sign-in (登录): loan number (借款合同号) + registered mobile number +
//     a one-time SMS code (短信验证码) sent through the outbox and the
//     contact governor. The code is kept only as a salted hash; requests are
//     rate-limited per phone and per address, and repeated wrong codes lock
//     the phone for a while. A session is short-lived (idle and absolute
//     limits) and kept as the hash of its cookie token.
//   - What is owed (欠款明细), by loan: the schedule, the payments and how they
//     were allocated, what is overdue, and penalty and fees only within the
//     cost cap (综合年化成本上限) — the part above it is never shown or asked.
//   - Promise to pay (承诺还款) within the promise policy: a promise record on
//     the case through package negotiation, confirmed by SMS through the
//     governor.
//   - Dispute (异议), complaint (投诉) and stop-contact (停止催收) requests: a
//     request record, the case timeline and the borrower flags the governor
//     reads, at once, in one transaction.
//   - Ask for a plan (申请个性化分期): a short affordability form becomes an
//     assessment, the offer engine proposes offers; those within the
//     auto-approval level of the authority matrix may be accepted on the spot
//     (agreement + SMS code, then activation); the others wait in the
//     negotiators' approval inbox with the assessment attached.
//   - Pay (在线还款) through the payment gateway (package gateway): an order,
//     the gateway's pay page, and its signed callback posted as a payment
//     exactly once.
//
// Package negotiation's use cases take a staff actor. selfservice checks
// the borrower's own scope first and then calls them with a system actor
// named after the borrower ("portal:borrower:42"); its own audit events
// name the borrower with the role "borrower".
package selfservice
