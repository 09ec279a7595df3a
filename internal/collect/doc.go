// Package collect holds Accord's use cases: each Service method loads what
// it needs in one transaction, calls the pure rules (ledger, compliance …),
// saves the result and writes its audit event in the same transaction.
//
// The acting user is always an explicit argument; object-level rules (who
// may see what) are decided here, never in the store.
package collect
