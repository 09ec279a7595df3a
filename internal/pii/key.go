package pii

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"accord/internal/errs"
)

// LoadKey returns the 32-byte PII key. env is the value of ACCORD_SECRET_KEY
// (passed in rather than read here): when it is set it must be the key in hex
// (64 characters) or base64. Otherwise the key is read from the file at path;
// when that file does not exist it is created with a new random key, mode
// 0600, and its directory with mode 0700.
//
// LoadKey refuses a key file that group or others may read or write, because
// whoever reads it can decrypt every national id and phone number. It returns
// an Invalid error for a malformed key or an unsafe key file.
func LoadKey(env, path string) ([]byte, error) {
	return loadKey("ACCORD_SECRET_KEY", "PII", env, path)
}

// LoadAuditKey returns the 32-byte audit key, which signs every audit event
// and the audit anchors (see package audit), the way LoadKey returns the PII
// key: env is ACCORD_AUDIT_KEY; otherwise the file at path, created with a
// new random key (mode 0600) when missing. It is a key of its own, so that
// the PII key can be rotated or handed to a decryption job without letting
// that job forge audit evidence.
func LoadAuditKey(env, path string) ([]byte, error) {
	return loadKey("ACCORD_AUDIT_KEY", "audit", env, path)
}

func loadKey(envName, what, env, path string) ([]byte, error) {
	if env = strings.TrimSpace(env); env != "" {
		key, err := parseKey(env)
		if err != nil {
			return nil, errs.Errorf(errs.Invalid, "%s must be %d bytes in hex or base64.", envName, KeySize)
		}
		return key, nil
	}
	if path == "" {
		return nil, errs.Errorf(errs.Invalid, "No %s key: set %s or a key file path.", what, envName)
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKeyFile(envName, what, path)
	}
	if err != nil {
		return nil, fmt.Errorf("stat key file: %w", err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, errs.Errorf(errs.Invalid,
			"Key file %s has mode %04o; it must be readable by its owner only (chmod 600 %s).", path, perm, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	key, err := parseKey(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, errs.Errorf(errs.Invalid, "Key file %s does not hold a %d-byte key in hex or base64.", path, KeySize)
	}
	return key, nil
}

// createKeyFile writes a new random key to path in base64, so that it can be
// copied into the environment variable as it is. O_EXCL makes two processes starting
// at once agree on one key: the loser reads the winner's file.
func createKeyFile(envName, what, path string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create key directory: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadKey(envName, what, "", path)
	}
	if err != nil {
		return nil, fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("sync key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("close key file: %w", err)
	}
	return key, nil
}

// parseKey reads a key written in hex or in any base64 alphabet.
func parseKey(s string) ([]byte, error) {
	if len(s) == hex.EncodedLen(KeySize) {
		if b, err := hex.DecodeString(s); err == nil {
			return b, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return b, nil
		}
	}
	return nil, errors.New("not a key")
}
