// Package negotiation holds the use cases of negotiating with a borrower
// (协商): today promises to pay (承诺还款) as records — taken in a contact
// or on their own, listed, cancelled, matched to payments first in first
// out, and judged kept, partly kept or broken the day after their date.
// Assessments, offers, rounds, agreements and plan monitoring (二次协商)
// join it later.
//
// It sits beside package collect and above it: it uses collect's actors,
// object scope and governor-checked contact logging, and collect reaches
// it only through the collect.Promises interface, which cmd/accord wires
// (collect.Service.UsePromises). The rules themselves are in package
// promise; this package loads, calls them, saves, and writes the audit
// event in the same transaction.
package negotiation
