package nats

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/nats/natstest"
	"github.com/nats-io/nats.go/jetstream"
)

// FuzzMsgID: two different idempotency keys never share a message id or a
// comment ID, and the same key always gives the same ones.
func FuzzMsgID(f *testing.F) {
	f.Add("k_pub", "a", "k_pub", "b")
	f.Add("k", "1:a", "k1", "a")
	f.Add("", "2:k1:a", "k1", "a")
	f.Add("k:", "a", "k", ":a")
	f.Fuzz(func(t *testing.T, id1, key1, id2, key2 string) {
		a := forewarn.IdempotencyKey{KeyID: id1, Key: key1}
		b := forewarn.IdempotencyKey{KeyID: id2, Key: key2}
		if msgID(a) != msgID(a) || CommentID(a) != CommentID(a) {
			t.Fatal("not deterministic")
		}
		if a != b && (msgID(a) == msgID(b) || CommentID(a) == CommentID(b)) {
			t.Fatalf("%+v and %+v share an id", a, b)
		}
	})
}

// FuzzIntake publishes user text: it is refused as invalid, or it reaches
// the stream as sent.
func FuzzIntake(f *testing.F) {
	for _, s := range []string{"thank you", "nul \x00", "bad \xff utf-8", "emoji 🙂 and\nnewlines", "", `{"json": "inside"}`} {
		f.Add(s, "reader")
	}
	_, js := connect(f, natstest.RunServer(f).ClientURL())
	in, err := NewIntake(f.Context(), IntakeConfig{JetStream: js})
	if err != nil {
		f.Fatal(err)
	}
	s, err := js.Stream(f.Context(), DefaultCommentsStream)
	if err != nil {
		f.Fatal(err)
	}
	n := 0
	f.Fuzz(func(t *testing.T, text, author string) {
		n++
		key := forewarn.IdempotencyKey{KeyID: "k_pub", Key: fmt.Sprint("fuzz-", n)}
		c := &forewarn.Comment{PostID: "p1", Author: author, Text: text, Decision: forewarn.Hold}
		got, _, err := in.CreateComment(t.Context(), c, key)
		if err != nil {
			if !errors.Is(err, forewarn.ErrInvalid) {
				t.Fatalf("%q: %v, want ErrInvalid or success", text, err)
			}
			return
		}
		m, err := s.GetLastMsgForSubject(t.Context(), "forewarn.comments.0")
		if err != nil {
			t.Fatal(err)
		}
		var a forewarn.Accepted
		if err := json.Unmarshal(m.Data, &a); err != nil {
			t.Fatal(err)
		}
		if a.Comment.ID != got.ID || a.Comment.Text != text || a.Comment.Author != author || a.Idem != key || m.Header.Get(jetstream.MsgIDHeader) != msgID(key) {
			t.Fatalf("stream holds %+v under %q, sent %q by %q under %+v", a, m.Header.Get(jetstream.MsgIDHeader), text, author, key)
		}
	})
}
