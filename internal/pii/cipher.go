package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"accord/internal/errs"
)

// KeySize is the length of a key in bytes (AES-256).
const KeySize = 32

// version is the first byte of every ciphertext, so that a later key or
// algorithm can be told apart from this one during a rotation.
const version = 1

// Cipher encrypts, decrypts and hashes personal data with one key. It is safe
// for concurrent use.
type Cipher struct {
	aead    cipher.AEAD
	hashKey []byte
}

// NewCipher returns a Cipher for a 32-byte key. Separate subkeys for
// encryption and hashing are derived from it with HKDF-SHA256, so a hash never
// reveals anything about the encryption key. It returns an Invalid error for
// a key of the wrong length.
func NewCipher(key []byte) (*Cipher, error) {
	if len(key) != KeySize {
		return nil, errs.Errorf(errs.Invalid, "The PII key must be %d bytes, not %d.", KeySize, len(key))
	}
	encKey, err := hkdf.Key(sha256.New, key, nil, "accord pii aes-256-gcm v1", KeySize)
	if err != nil {
		return nil, fmt.Errorf("derive encryption key: %w", err)
	}
	hashKey, err := hkdf.Key(sha256.New, key, nil, "accord pii hmac-sha256 v1", KeySize)
	if err != nil {
		return nil, fmt.Errorf("derive hash key: %w", err)
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("new aes cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("new gcm: %w", err)
	}
	return &Cipher{aead: aead, hashKey: hashKey}, nil
}

// Encrypt returns plaintext sealed with AES-256-GCM under a fresh random
// nonce: a version byte, the 12-byte nonce and the ciphertext with its tag.
// Encrypting the same value twice gives different bytes; use Hash to compare.
// The empty string encrypts to nil, so an absent value stays absent (NULL).
func (c *Cipher) Encrypt(plaintext string) ([]byte, error) {
	if plaintext == "" {
		return nil, nil
	}
	ns := c.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plaintext)+c.aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("read nonce: %w", err)
	}
	return c.aead.Seal(out, out[1:], []byte(plaintext), out[:1]), nil
}

// Decrypt returns the plaintext of a ciphertext made by Encrypt; nil or empty
// input gives "". It returns an Internal error when the ciphertext was made
// with another key or has been altered.
func (c *Cipher) Decrypt(ciphertext []byte) (string, error) {
	if len(ciphertext) == 0 {
		return "", nil
	}
	ns := c.aead.NonceSize()
	if len(ciphertext) < 1+ns+c.aead.Overhead() || ciphertext[0] != version {
		return "", errs.Errorf(errs.Internal, "Encrypted value is malformed.")
	}
	p, err := c.aead.Open(nil, ciphertext[1:1+ns], ciphertext[1+ns:], ciphertext[:1])
	if err != nil {
		return "", errs.Errorf(errs.Internal, "Encrypted value cannot be decrypted with this key.")
	}
	return string(p), nil
}

// Hash returns the hex HMAC-SHA256 of s under a subkey of the key, for
// equality lookups ("which borrower has this phone?") without decrypting.
// The empty string hashes to "".
func (c *Cipher) Hash(s string) string {
	if s == "" {
		return ""
	}
	m := hmac.New(sha256.New, c.hashKey)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}
