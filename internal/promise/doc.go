// Package promise is the promise to pay (承诺还款, PTP): a borrower's word,
// taken by a collector (or later the bot) in a conversation, that they will
// pay an amount by a date. A case may hold several promises at once.
//
// Payments are matched to the open promises first in, first out: the
// promise due first (then the one made first) is filled before the next.
// A promise is kept once what was matched to it reaches its amount less a
// tolerance (a few fen or a small share, so that ¥299.90 on a ¥300 promise
// counts); that may happen before its date ("kept early"). The day after
// its date a promise still open is judged: partly kept when something was
// paid towards it, broken when nothing was. Partly kept and broken
// promises count as broken for the segment and the strategy.
//
// Everything here is pure: the business date is an argument.
package promise
