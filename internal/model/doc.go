// Package model is Accord's scoring: it trains and runs binary models on a
// table of rows (a lender's own history or any CSV export) and explains each
// score with reason codes.
//
// Two kinds of model are built:
//
//   - Logistic: logistic regression fitted by Newton-Raphson (IRLS, solved
//     with gonum/mat), unpenalised or with an L2 penalty; numeric columns
//     are imputed by their training median with a missing indicator where
//     training rows had missing values, categorical columns are one-hot
//     encoded against their most frequent level.
//   - Scorecard: every column is cut into monotone bins (numeric) or kept
//     by level (categorical), bins are replaced by their weight of evidence
//     (WoE), a logistic regression is fitted on the WoE values and the
//     result is expressed in points with a base score, base odds and points
//     to double the odds.
//
// Training reports AUC, KS, Brier score and a calibration table on the
// training rows and on held-out rows, and saves the bins that the
// population stability index (PSI) of the score and of each feature is
// later measured on. Models serialise to a versioned JSON format (see
// docs/SCORING.md).
//
// The package is pure: it reads from an io.Reader and works in memory; it
// has no clock, database or network.
package model
