// Package importer reads the files a lender sends from its core system
// (借款人、联系人、借据、还款流水) into values Accord can store: borrowers, their
// registered contacts (登记联系人), loans (借据) and payments (还款).
//
// Parse is pure: it reads one CSV or JSON-lines file of one Kind, checks
// every field of every row and returns either a whole Batch or an Invalid
// error listing the rows at fault (errs.FieldError with Row, Field and a
// reason). It never returns part of a file, so the caller can apply a Batch
// in one transaction knowing that every row in it is well formed. What only
// the database can tell (does the borrower a loan names exist? is an
// external id already taken?) is the caller's to check.
//
// Row numbers are line numbers in the file, so that a user can find a row in
// a text editor: in a CSV file the header is line 1 and the first data row
// line 2; a quoted value spanning lines counts from the line where its row
// starts. docs/IMPORT.md describes the columns of every kind.
package importer
