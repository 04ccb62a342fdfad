package main

import (
	"bytes"
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
		sid, stext, smsg := parseLineSlow([]byte(l))
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
		sid, stext, smsg := parseLineSlow([]byte(l))
		if smsg != "" || !bytes.Equal(fid, sid) || ftext != stext {
			t.Fatalf("%q: fast (%s, %q) but slow (%s, %q, %q)", l, fid, ftext, sid, stext, smsg)
		}
	})
}
