// Package anchorfile keeps audit anchors (audit.Anchor) in an append-only
// file outside the database, beside the audit key. `accord audit verify`
// reads it to catch a chain whose newest events were cut off or that was
// rewritten and rehashed. Make the file append-only for the service user
// (chattr +a) and copy it off the host with the logs for the strongest
// guarantee.
package anchorfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"accord/internal/audit"
)

// File is an anchor file. It is safe for concurrent use.
type File struct {
	path string
	key  []byte

	mu     sync.Mutex
	loaded bool
	max    int64 // newest Seq anchored in the file
}

// New returns the anchor file at path, whose lines are signed with key. The
// file is created (mode 0600) by the first Write.
func New(path string, key []byte) *File { return &File{path: path, key: key} }

// Path returns where the file is.
func (f *File) Path() string { return f.path }

// Read returns every anchor in the file, each checked against the key; nil
// when the file does not exist yet. It returns an error naming the first
// altered or malformed line.
func (f *File) Read() ([]audit.Anchor, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read audit anchor file: %w", err)
	}
	list, err := audit.ParseAnchors(bytes.NewReader(b), f.key)
	if err != nil {
		return list, fmt.Errorf("audit anchor file %s: %w", f.path, err)
	}
	return list, nil
}

// Write appends an anchor for event seq with hash at time at, unless the
// file already anchors seq or a later event (a head that did not advance,
// or one that went back, is never anchored again), and reports whether it
// wrote. The line is synced to disk before Write returns.
func (f *File) Write(seq int64, hash string, at time.Time) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.loaded {
		list, err := f.Read()
		if err != nil {
			return false, err
		}
		for _, a := range list {
			f.max = max(f.max, a.Seq)
		}
		f.loaded = true
	}
	if seq <= f.max {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return false, fmt.Errorf("create audit anchor directory: %w", err)
	}
	fh, err := os.OpenFile(f.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return false, fmt.Errorf("open audit anchor file: %w", err)
	}
	_, err = fh.WriteString(audit.NewAnchor(f.key, seq, hash, at).String() + "\n")
	if err == nil {
		err = fh.Sync()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("write audit anchor file: %w", err)
	}
	f.max = seq
	return true, nil
}
