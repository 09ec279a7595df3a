package pii

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"accord/internal/errs"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func mustCipher(t *testing.T, key []byte) *Cipher {
	t.Helper()
	c, err := NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCipher_EncryptDecrypt(t *testing.T) {
	t.Parallel()
	c := mustCipher(t, testKey(1))
	tests := []string{"+8613800138000", "110105199001011234", "张三丰", ""}
	for _, plain := range tests {
		t.Run(plain, func(t *testing.T) {
			ct, err := c.Encrypt(plain)
			if err != nil {
				t.Fatal(err)
			}
			if plain != "" && bytes.Contains(ct, []byte(plain)) {
				t.Errorf("ciphertext contains the plaintext")
			}
			got, err := c.Decrypt(ct)
			if err != nil || got != plain {
				t.Errorf("Decrypt(Encrypt(%q)) = %q, %v", plain, got, err)
			}
		})
	}
}

func TestCipher_EncryptIsRandomised(t *testing.T) {
	t.Parallel()
	c := mustCipher(t, testKey(1))
	a, _ := c.Encrypt("13800138000")
	b, _ := c.Encrypt("13800138000")
	if bytes.Equal(a, b) {
		t.Error("two encryptions of one value are equal")
	}
}

func TestCipher_DecryptErrors(t *testing.T) {
	t.Parallel()
	c := mustCipher(t, testKey(1))
	other := mustCipher(t, testKey(2))
	ct, _ := c.Encrypt("13800138000")
	flipped := bytes.Clone(ct)
	flipped[len(flipped)-1] ^= 1
	tests := []struct {
		name string
		ct   []byte
	}{
		{"OtherKey", nil},
		{"Tampered", flipped},
		{"Short", ct[:5]},
		{"BadVersion", append([]byte{9}, ct[1:]...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.ct == nil {
				_, err = other.Decrypt(ct)
			} else {
				_, err = c.Decrypt(tt.ct)
			}
			if errs.CodeOf(err) != errs.Internal || err == nil {
				t.Errorf("Decrypt() error = %v, want an Internal error", err)
			}
		})
	}
}

func TestCipher_Hash(t *testing.T) {
	t.Parallel()
	c := mustCipher(t, testKey(1))
	h := c.Hash("+8613800138000")
	if len(h) != 64 || h != c.Hash("+8613800138000") {
		t.Errorf("Hash is not a stable 64-character hex string: %q", h)
	}
	if h == c.Hash("+8613800138001") {
		t.Error("different values hash alike")
	}
	if h == mustCipher(t, testKey(2)).Hash("+8613800138000") {
		t.Error("the hash does not depend on the key")
	}
	if c.Hash("") != "" {
		t.Error(`Hash("") != ""`)
	}
}

func TestNewCipher_BadKey(t *testing.T) {
	t.Parallel()
	if _, err := NewCipher(make([]byte, 16)); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("NewCipher(16 bytes) error = %v, want Invalid", err)
	}
}

func TestLoadKey(t *testing.T) {
	t.Parallel()
	key := testKey(7)
	tests := []struct {
		name string
		env  string
	}{
		{"Hex", hex.EncodeToString(key)},
		{"Base64", base64.StdEncoding.EncodeToString(key)},
		{"RawURLBase64", base64.RawURLEncoding.EncodeToString(key)},
		{"Spaces", " " + hex.EncodeToString(key) + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadKey(tt.env, filepath.Join(t.TempDir(), "unused"))
			if err != nil || !bytes.Equal(got, key) {
				t.Errorf("LoadKey(%q) = %x, %v", tt.env, got, err)
			}
		})
	}
	for _, bad := range []string{"abc", hex.EncodeToString(key[:16]), strings.Repeat("z", 64)} {
		if _, err := LoadKey(bad, ""); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("LoadKey(%q) error = %v, want Invalid", bad, err)
		}
	}
}

func TestLoadKey_File(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "secrets", "pii.key")
	first, err := LoadKey("", path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("new key file mode = %04o, want 0600", perm)
	}
	again, err := LoadKey("", path)
	if err != nil || !bytes.Equal(first, again) || len(first) != KeySize {
		t.Fatalf("second LoadKey = %x, %v; want the key created first (%x)", again, err, first)
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadKey("", path)
	if errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "0644") {
		t.Errorf("LoadKey on a 0644 key file: error = %v, want Invalid naming the mode", err)
	}

	bad := filepath.Join(t.TempDir(), "bad.key")
	if err := os.WriteFile(bad, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKey("", bad); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("LoadKey on a malformed key file: error = %v, want Invalid", err)
	}
}
