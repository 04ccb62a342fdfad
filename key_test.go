package forewarn_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"regexp"
	"testing"

	"github.com/forewarn/forewarn"
)

func TestNewKeySecret(t *testing.T) {
	tests := []struct {
		name    string
		r       io.Reader
		want    string
		wantErr bool
	}{
		{"zero bytes", bytes.NewReader(make([]byte, 20)), "fwk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"all ones", bytes.NewReader(bytes.Repeat([]byte{0xff}, 20)), "fwk_77777777777777777777777777777777", false},
		{"short source", bytes.NewReader(make([]byte, 19)), "", true},
		{"empty source", bytes.NewReader(nil), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := forewarn.NewKeySecret(tt.r)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewKeySecretRandom(t *testing.T) {
	shape := regexp.MustCompile(`^fwk_[a-z2-7]{32}$`)
	seen := map[string]bool{}
	for range 100 {
		s, err := forewarn.NewKeySecret(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !shape.MatchString(s) {
			t.Fatalf("secret %q has the wrong shape", s)
		}
		if seen[s] {
			t.Fatalf("secret %q repeated", s)
		}
		seen[s] = true
	}
}

func TestHashKey(t *testing.T) {
	tests := []struct {
		secret string
		want   string
	}{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(forewarn.HashKey(tt.secret)); got != tt.want {
			t.Errorf("HashKey(%q) = %s, want %s", tt.secret, got, tt.want)
		}
	}
	if bytes.Equal(forewarn.HashKey("fwk_a"), forewarn.HashKey("fwk_b")) {
		t.Error("different secrets share a hash")
	}
}

func TestNewID(t *testing.T) {
	tests := []struct {
		prefix string
		src    []byte
		want   string
		err    bool
	}{
		{"c_", make([]byte, 10), "c_aaaaaaaaaaaaaaaa", false},
		{"p_", []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "p_aaaaaaaaaaaaaaab", false},
		{"k_", make([]byte, 3), "", true},
	}
	for _, tt := range tests {
		got, err := forewarn.NewID(bytes.NewReader(tt.src), tt.prefix)
		if (err != nil) != tt.err {
			t.Fatalf("NewID(%q): err = %v", tt.prefix, err)
		}
		if got != tt.want {
			t.Errorf("NewID(%q) = %q, want %q", tt.prefix, got, tt.want)
		}
	}
}

func TestQueueFilterNormalize(t *testing.T) {
	both := []forewarn.Status{forewarn.StatusHeld, forewarn.StatusSupport}
	tests := []struct {
		name     string
		f        forewarn.QueueFilter
		statuses []forewarn.Status
		limit    int
		err      error
	}{
		{"defaults", forewarn.QueueFilter{}, both, forewarn.DefaultQueueLimit, nil},
		{"held", forewarn.QueueFilter{Status: forewarn.StatusHeld, Limit: 7}, []forewarn.Status{forewarn.StatusHeld}, 7, nil},
		{"support", forewarn.QueueFilter{Status: forewarn.StatusSupport}, []forewarn.Status{forewarn.StatusSupport}, 50, nil},
		{"capped", forewarn.QueueFilter{Limit: 100000}, both, forewarn.MaxQueueLimit, nil},
		{"not waiting", forewarn.QueueFilter{Status: forewarn.StatusApproved}, nil, 0, forewarn.ErrInvalid},
		{"unknown status", forewarn.QueueFilter{Status: "later"}, nil, 0, forewarn.ErrInvalid},
		{"negative limit", forewarn.QueueFilter{Limit: -1}, nil, 0, forewarn.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			statuses, limit, err := tt.f.Normalize()
			if !errors.Is(err, tt.err) || (err != nil) != (tt.err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if limit != tt.limit || len(statuses) != len(tt.statuses) {
				t.Fatalf("got %v %d, want %v %d", statuses, limit, tt.statuses, tt.limit)
			}
			for i := range statuses {
				if statuses[i] != tt.statuses[i] {
					t.Fatalf("got %v, want %v", statuses, tt.statuses)
				}
			}
		})
	}
}

func TestActionStatus(t *testing.T) {
	tests := []struct {
		a    forewarn.Action
		want forewarn.Status
		err  bool
	}{
		{forewarn.Approve, forewarn.StatusApproved, false},
		{forewarn.Reject, forewarn.StatusRejected, false},
		{"publish", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := tt.a.Status()
		if got != tt.want || (err != nil) != tt.err || (err != nil && !errors.Is(err, forewarn.ErrInvalid)) {
			t.Errorf("%q.Status() = %q, %v", tt.a, got, err)
		}
	}
}

// keyRecorder keeps the key and hash IssueKey stores, or refuses with err.
type keyRecorder struct {
	key  *forewarn.Key
	hash []byte
	err  error
}

func (r *keyRecorder) CreateKey(_ context.Context, k *forewarn.Key, hash []byte) error {
	r.key, r.hash = k, hash
	return r.err
}

func TestIssueKey(t *testing.T) {
	var s keyRecorder
	k := forewarn.Key{Role: forewarn.RoleModerator}
	secret, err := forewarn.IssueKey(context.Background(), &s, &k, bytes.NewReader(make([]byte, 20)))
	if err != nil || secret != "fwk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
		t.Fatalf("secret %q, err %v", secret, err)
	}
	if s.key != &k || !bytes.Equal(s.hash, forewarn.HashKey(secret)) {
		t.Errorf("stored key %v with hash %x, want the hash of the secret", s.key, s.hash)
	}
	s = keyRecorder{err: forewarn.ErrConflict}
	if secret, err := forewarn.IssueKey(context.Background(), &s, &k, bytes.NewReader(make([]byte, 20))); !errors.Is(err, forewarn.ErrConflict) || secret != "" {
		t.Errorf("refused key: secret %q, err %v", secret, err)
	}
	if _, err := forewarn.IssueKey(context.Background(), &s, &k, bytes.NewReader(nil)); err == nil {
		t.Error("empty random source: no error")
	}
}

func TestParseEventTypes(t *testing.T) {
	got, err := forewarn.ParseEventTypes(nil)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("none: %v, %v; want an empty list", got, err)
	}
	got, err = forewarn.ParseEventTypes([]string{"comment.held", "comment.support"})
	if err != nil || len(got) != 2 || got[0] != forewarn.EventHeld || got[1] != forewarn.EventSupport {
		t.Errorf("two: %v, %v", got, err)
	}
	if _, err := forewarn.ParseEventTypes([]string{"comment.held", "comment.deleted"}); !errors.Is(err, forewarn.ErrInvalid) {
		t.Errorf("unknown event: err = %v, want ErrInvalid", err)
	}
}
