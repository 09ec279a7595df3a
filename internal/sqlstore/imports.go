package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// Import is a record of one file imported from the lender's core system:
// what kind (borrowers, loans, payments …), its SHA-256, and who ran it.
type Import struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	SHA256    string    `json:"sha256"`
	Filename  string    `json:"filename"`
	Rows      int       `json:"rows"`
	CreatedAt time.Time `json:"created_at"`
	Actor     string    `json:"actor"`
}

const importCols = "id, kind, sha256, filename, rows, created_at, actor"

func importDest(im *Import) []any {
	return []any{&im.ID, &im.Kind, &im.SHA256, &im.Filename, &im.Rows, instant{&im.CreatedAt}, &im.Actor}
}

// CreateImport records im and sets its ID and CreatedAt.
func (tx *Tx) CreateImport(ctx context.Context, im *Import) error {
	im.CreatedAt = tx.now
	err := tx.get(ctx, "Import", `INSERT INTO imports (kind, sha256, filename, rows, created_at, actor)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{im.Kind, im.SHA256, im.Filename, im.Rows, ts(im.CreatedAt), im.Actor}, &im.ID)
	if err != nil {
		return fmt.Errorf("create import: %w", err)
	}
	return nil
}

// ImportBySHA256 returns the latest import of kind with the file hash sha,
// to tell a user the same file was imported before. It returns a NotFound
// error if there is none.
func (tx *Tx) ImportBySHA256(ctx context.Context, kind, sha string) (Import, error) {
	var im Import
	err := tx.get(ctx, "Import", "SELECT "+importCols+" FROM imports WHERE kind = ? AND sha256 = ? ORDER BY id DESC LIMIT 1",
		[]any{kind, sha}, importDest(&im)...)
	return im, err
}

// Imports returns the latest imports, newest first, at most limit
// (DefaultLimit when 0).
func (tx *Tx) Imports(ctx context.Context, limit int) ([]Import, error) {
	rows, err := tx.query(ctx, "SELECT "+importCols+" FROM imports ORDER BY id DESC"+page(limit, 0))
	if err != nil {
		return nil, fmt.Errorf("list imports: %w", err)
	}
	defer rows.Close()
	var list []Import
	for rows.Next() {
		var im Import
		if err := rows.Scan(importDest(&im)...); err != nil {
			return nil, fmt.Errorf("scan import: %w", err)
		}
		list = append(list, im)
	}
	return list, interpretError(rows.Err())
}
