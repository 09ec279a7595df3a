package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/errs"
	"accord/internal/ledger"
)

const productCols = "id, code, name, method, annual_rate, term_months, penalty_rate_daily, late_fee_minor"

// Product returns the product with id. It returns a NotFound error if there
// is none.
func (tx *Tx) Product(ctx context.Context, id int64) (ledger.Product, error) {
	var p ledger.Product
	err := tx.get(ctx, fmt.Sprintf("Product %d", id), "SELECT "+productCols+" FROM products WHERE id = ?",
		[]any{id}, productDest(&p)...)
	return p, err
}

// ProductByCode returns the product with code. It returns a NotFound error if
// there is none.
func (tx *Tx) ProductByCode(ctx context.Context, code string) (ledger.Product, error) {
	var p ledger.Product
	err := tx.get(ctx, fmt.Sprintf("Product %q", code), "SELECT "+productCols+" FROM products WHERE code = ?",
		[]any{code}, productDest(&p)...)
	return p, err
}

func productDest(p *ledger.Product) []any {
	return []any{&p.ID, &p.Code, &p.Name, &p.Method, &p.AnnualRate, &p.TermMonths, &p.PenaltyRateDaily, &p.LateFee}
}

// Products returns every product, ordered by code. There are few.
func (tx *Tx) Products(ctx context.Context) ([]ledger.Product, error) {
	rows, err := tx.query(ctx, "SELECT "+productCols+" FROM products ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	defer rows.Close()
	var list []ledger.Product
	for rows.Next() {
		var p ledger.Product
		if err := rows.Scan(productDest(&p)...); err != nil {
			return nil, fmt.Errorf("scan product: %w", err)
		}
		list = append(list, p)
	}
	return list, interpretError(rows.Err())
}

// UpsertProduct creates p, or updates the product with p.Code to match it,
// sets p.ID and reports whether anything changed.
func (tx *Tx) UpsertProduct(ctx context.Context, p *ledger.Product) (changed bool, err error) {
	cur, err := tx.ProductByCode(ctx, p.Code)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		err = tx.get(ctx, "Product", `INSERT INTO products (code, name, method, annual_rate, term_months,
			penalty_rate_daily, late_fee_minor) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			[]any{p.Code, p.Name, string(p.Method), p.AnnualRate, p.TermMonths, p.PenaltyRateDaily, int64(p.LateFee)}, &p.ID)
		if err != nil {
			return false, fmt.Errorf("create product %q: %w", p.Code, err)
		}
		return true, nil
	case err != nil:
		return false, err
	}
	p.ID = cur.ID
	if cur.Name == p.Name && cur.Method == p.Method && cur.AnnualRate.Cmp(p.AnnualRate) == 0 &&
		cur.TermMonths == p.TermMonths && cur.PenaltyRateDaily.Cmp(p.PenaltyRateDaily) == 0 && cur.LateFee == p.LateFee {
		return false, nil
	}
	_, err = tx.exec(ctx, `UPDATE products SET name = ?, method = ?, annual_rate = ?, term_months = ?,
		penalty_rate_daily = ?, late_fee_minor = ? WHERE id = ?`,
		p.Name, string(p.Method), p.AnnualRate, p.TermMonths, p.PenaltyRateDaily, int64(p.LateFee), p.ID)
	if err != nil {
		return false, fmt.Errorf("update product %q: %w", p.Code, err)
	}
	return true, nil
}
