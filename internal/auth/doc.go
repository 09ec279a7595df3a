// Package auth is who may do what in Accord: users, their roles, the
// permissions each role holds, and password hashing (argon2id).
//
// Access is denied by default: every HTTP route and CLI action names one
// Permission, and a user may act only if one of their roles holds it.
// Object-level limits (a collector sees only their own cases, an agency
// agent only their agency's placements) are checked in the use cases, with
// the user passed explicitly.
package auth
