// Package audit is Accord's evidence log: every state change (a payment
// recorded, a borrower created, a phone number revealed) appends one Event
// naming who did what to which record, in the same transaction as the change.
//
// Events form a hash chain. Each carries the hash of the one before it
// (PrevHash) and its own Hash, the SHA-256 of PrevHash and its canonical
// serialization. Changing, removing or reordering any stored event breaks the
// chain at that point, which Verify finds and names. A chain alone cannot
// reveal that someone with write access rewrote it from some event on and
// recomputed every hash, nor that its newest events were cut off and the
// head moved back; two things kept outside the database do (mac.go): each
// event's MAC under the audit key, and anchors (the newest Seq and Hash at
// a time, signed) appended to a file. Verifier checks both when given them.
//
// Everything here is pure: the store assigns Seq and the hashes when it
// appends, and verification reads events one at a time.
package audit
