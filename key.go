package forewarn

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"io"
	"strings"
)

// KeyPrefix starts every API key secret, so that a leaked key is easy to
// recognise in logs and by secret scanners.
const KeyPrefix = "fwk_"

// idEncoding is lowercase base32 without padding: URL-safe, case-folding
// friendly and free of characters that need quoting in a shell.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewKeySecret returns a new API key secret: KeyPrefix followed by 32 base32
// characters (160 random bits read from r, normally crypto/rand.Reader).
func NewKeySecret(r io.Reader) (string, error) {
	s, err := randomString(r, 20)
	if err != nil {
		return "", fmt.Errorf("new key: %w", err)
	}
	return KeyPrefix + s, nil
}

// HashKey returns the SHA-256 hash of a key secret, which is what stores
// keep. A fast hash suffices because secrets carry 160 random bits, so
// there is nothing to guess from a leaked hash.
func HashKey(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// IssueKey stores k in s under the hash of a new secret read from r
// (normally crypto/rand.Reader) and returns the secret. This is the only
// time the secret can be shown: s keeps only its hash (HashKey).
func IssueKey(ctx context.Context, s interface {
	CreateKey(ctx context.Context, k *Key, hash []byte) error
}, k *Key, r io.Reader) (string, error) {
	secret, err := NewKeySecret(r)
	if err != nil {
		return "", err
	}
	if err := s.CreateKey(ctx, k, HashKey(secret)); err != nil {
		return "", err
	}
	return secret, nil
}

// NewID returns prefix followed by 16 base32 characters (80 random bits read
// from r). Stores use it for post, comment and key IDs the caller left empty.
func NewID(r io.Reader, prefix string) (string, error) {
	s, err := randomString(r, 10)
	if err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return prefix + s, nil
}

func randomString(r io.Reader, n int) (string, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	var sb strings.Builder
	sb.Grow(idEncoding.EncodedLen(n))
	enc := base32.NewEncoder(idEncoding, &sb)
	enc.Write(b)
	enc.Close()
	return sb.String(), nil
}
