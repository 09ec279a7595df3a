// Package gateway is the adapter to the lender's payment gateway (支付网关):
// a borrower who pays on the portal is sent to the gateway's pay page for an
// order we create, and the gateway tells us the outcome with a signed
// asynchronous callback (异步通知), which we post as a payment exactly once.
//
// The protocol (docs/GATEWAY.md) signs every request both ways like the SMS
// gateway's: HMAC-SHA256 with the merchant secret over a canonical string
// of the timestamp, a nonce and the body,
//
//	X-Merchant-Id: M1001
//	X-Timestamp:   1773104400                 (Unix seconds)
//	X-Nonce:       3f9a…                      (random, unique per request)
//	X-Signature:   hex(HMAC-SHA256(secret, timestamp + "\n" + nonce + "\n" + body))
//
// Client creates orders; Verifier checks callbacks (signature, timestamp
// window); the nonce of an accepted callback is kept in the database, so a
// replay is refused on every node. Local is a gateway that runs on loopback
// for tests and demos (`accord gateway serve`): it creates orders, shows a
// pay page and calls back.
package gateway
