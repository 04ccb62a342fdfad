package jsonl

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"runtime"
	"strings"
	"testing"
)

func TestParseFastAgreesWithSlow(t *testing.T) {
	for _, l := range []string{
		`{"id": 1, "text": "hello"}`,
		`{"text": "hello", "id": "a"}`,
		` { "id" : -1.5e3 , "text" : "tab\tand \"quote\" \u00e9" } `,
		`{"id": 1, "text": "x", "extra": 2}`,
		`{"id": 1}`,
		`{"id": 01, "text": "leading zero"}`,
		`{"id": 1, "text": ""}`,
		`{"id": 1, "text": "   "}`,
		`{"id": 1, "text": "\u00a0"}`,
		`{"id": [1], "text": "x"}`,
		`{"id": 1, "text": "a"} trailing`,
		`{"id": 1, "text": "bad \xff byte"}`,
		`{"id": 1, "text": "a", "text": "b"}`,
		`{"id": 1, "text": "unterminated}`,
		`not json`,
		``,
	} {
		fid, ftext, fok := parseFast([]byte(l))
		sid, stext, smsg := parseSlow([]byte(l))
		if fok && (smsg != "" || !bytes.Equal(fid, sid) || ftext != stext) {
			t.Errorf("%q: fast (%s, %q) but slow (%s, %q, %q)", l, fid, ftext, sid, stext, smsg)
		}
	}
}

func FuzzParseFast(f *testing.F) {
	f.Add(`{"id": 1, "text": "hello"}`)
	f.Add(`{"id":"x\"y","text":"a\nb"}`)
	f.Fuzz(func(t *testing.T, l string) {
		fid, ftext, fok := parseFast([]byte(l))
		if !fok {
			return
		}
		sid, stext, smsg := parseSlow([]byte(l))
		if smsg != "" || !bytes.Equal(fid, sid) || ftext != stext {
			t.Fatalf("%q: fast (%s, %q) but slow (%s, %q, %q)", l, fid, ftext, sid, stext, smsg)
		}
	})
}

// FuzzEach checks that Each hands over every line of any input
// once, in order, keeping none longer than the limit: a line over it comes
// as nil, and the lines after it are still read.
func FuzzEach(f *testing.F) {
	f.Add("a\nbb\n", 1)
	f.Add("\ufeffx\r\n\n\nlong line here\nend", 4)
	f.Fuzz(func(t *testing.T, in string, max int) {
		max = max%64 + 1
		if max <= 0 {
			max += 64
		}
		var want []string
		if in != "" {
			want = strings.Split(strings.TrimSuffix(in, "\n"), "\n")
		}
		n := 0
		_, err := Each(t.Context(), strings.NewReader(in), max, func(i int, line []byte) bool {
			if i != n+1 || n >= len(want) {
				t.Fatalf("line %d after %d of %d", i, n, len(want))
			}
			w := strings.TrimRight(want[n], "\r\n")
			if n == 0 {
				w = strings.TrimPrefix(w, "\ufeff")
			}
			switch {
			case line == nil && len(strings.TrimRight(want[n], "\r\n")) <= max:
				t.Fatalf("line %d (%d bytes) dropped at limit %d", i, len(w), max)
			case line != nil && string(line) != w:
				t.Fatalf("line %d = %q, want %q", i, line, w)
			}
			n++
			return true
		})
		if err != nil || n != len(want) {
			t.Fatalf("%d lines of %d, err %v", n, len(want), err)
		}
	})
}

// repeatReader yields n bytes of c, then tail, without holding them.
type repeatReader struct {
	c    byte
	n    int
	tail string
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		if r.tail == "" {
			return 0, io.EOF
		}
		k := copy(p, r.tail)
		r.tail = r.tail[k:]
		return k, nil
	}
	k := min(len(p), r.n)
	for i := range k {
		p[i] = r.c
	}
	r.n -= k
	return k, nil
}

// TestLongLineMemory reads a 50 MB line followed by a short one: the long
// one must come as nil, the short one intact, and the reading must not
// allocate more than a few times the limit, whatever the line's length.
func TestLongLineMemory(t *testing.T) {
	const size, limit = 50 << 20, DefaultMaxLine
	r := &repeatReader{c: 'a', n: size, tail: "\n" + `{"id": 2, "text": "after"}` + "\n"}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var got [][]byte
	failed, err := Each(context.Background(), r, limit, func(n int, line []byte) bool {
		got = append(got, bytes.Clone(line))
		return line != nil
	})
	runtime.ReadMemStats(&after)
	if err != nil || failed != 1 || len(got) != 2 || got[0] != nil || string(got[1]) != `{"id": 2, "text": "after"}` {
		t.Fatalf("failed %d, err %v, lines %d", failed, err, len(got))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*limit {
		t.Errorf("allocated %d MB reading a 50 MB line with a %d MB limit", alloc>>20, limit>>20)
	}
}

// FuzzParse checks that any line gives an id that is valid JSON, and
// either text to score or an error message, and that the error line built
// from them is valid JSON.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"id": 1, "text": "hi"}`, `{"id": "\ud800", "text": "x"}`, "{\"id\": \"\xff\"}", `[1]`, `{"id": {}, "text": "x"}`, ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		id, text, msg := Parse([]byte(line))
		if !json.Valid(id) {
			t.Fatalf("%q: id %q is not JSON", line, id)
		}
		if (msg == "") == (strings.TrimSpace(text) == "") {
			t.Fatalf("%q: text %q with message %q", line, text, msg)
		}
		if msg != "" && !json.Valid(AppendError(nil, id, msg, 1)) {
			t.Fatalf("%q: error line %s is not JSON", line, AppendError(nil, id, msg, 1))
		}
	})
}
