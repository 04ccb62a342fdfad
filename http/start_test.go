package http_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
)

// TestCreateFirstAdmin checks that the first start makes one admin key
// whose secret the store knows, and that a second start makes none.
func TestCreateFirstAdmin(t *testing.T) {
	s := newMemStore()
	ctx := context.Background()
	secret, err := fwhttp.CreateFirstAdmin(ctx, s, strings.NewReader(strings.Repeat("k", 64)))
	if err != nil || secret == "" {
		t.Fatalf("first start: %q, %v", secret, err)
	}
	k, err := s.KeyByHash(ctx, forewarn.HashKey(secret))
	if err != nil || k.ID != fwhttp.FirstAdminID || k.Role != forewarn.RoleAdmin {
		t.Fatalf("key for the secret: %+v, %v", k, err)
	}
	again, err := fwhttp.CreateFirstAdmin(ctx, s, strings.NewReader(strings.Repeat("j", 64)))
	if err != nil || again != "" {
		t.Fatalf("second start: %q, %v", again, err)
	}
	if !strings.Contains(fwhttp.SignInText("http://h", secret), "http://h/#key="+secret) {
		t.Error("the sign-in text lacks the link")
	}
	var b bytes.Buffer
	fwhttp.WriteFirstStart(&b, forewarn.SupportInfo{Number: "116 123", FollowUp: true}, false)
	if !strings.Contains(b.String(), "call 116 123") || strings.Contains(b.String(), "no number yet") || strings.Contains(b.String(), "no follow-up") {
		t.Errorf("first-start advice:\n%s", b.String())
	}
}
