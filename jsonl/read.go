// Package jsonl reads and writes the JSON Lines contracts of the forewarn
// command: "forewarn score", "forewarn warn --jsonl" and "forewarn
// moderate". Input is one {"id", "text"} object per line; output is one
// object per input line, in order, and a line that cannot be used gets an
// error line ({"id", "error", "line_number"}) while the run goes on.
//
// Reading keeps memory bounded whatever the input: a line longer than the
// limit is reported and the rest of it skipped, not kept. Writing appends
// to a byte slice without reflection, and every output writes evidence
// spans with one encoder, so the fields come in one order everywhere.
package jsonl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// DefaultMaxLine is the longest input line, 1 MiB: fifty times the
// server's longest comment (http.DefaultMaxTextLen, 20 KB), and what the
// models take about a second and 100 MB of memory to score.
const DefaultMaxLine = 1 << 20

// Each calls fn for every line of r (without its line ending) with its
// number counted from 1, and counts the lines fn reports failed. A final
// line without a newline counts; an empty input has no lines. A line
// longer than max bytes (DefaultMaxLine when max is not positive) is not
// kept: fn gets it as nil, which Parse reports, and the rest of it is
// skipped, so memory stays bounded whatever the input. A byte-order mark
// at the start of the input is dropped.
func Each(ctx context.Context, r io.Reader, max int, fn func(n int, line []byte) (ok bool)) (failed int, err error) {
	if max <= 0 {
		max = DefaultMaxLine
	}
	br := bufio.NewReaderSize(r, 256<<10)
	var long []byte
	for n := 0; ; n++ {
		if n&1023 == 0 && ctx.Err() != nil {
			return failed, ctx.Err()
		}
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				if len(long) <= max+2 { // room for the line ending
					long = append(long, line...)
				}
			}
			line = long
		}
		if len(bytes.TrimRight(line, "\r\n")) > max {
			line = nil
		}
		if len(line) == 0 && err == io.EOF {
			return failed, nil
		}
		if err != nil && err != io.EOF {
			return failed, fmt.Errorf("read input: %w", err)
		}
		if line != nil {
			line = bytes.TrimRight(line, "\r\n")
		}
		if n == 0 && line != nil {
			// Files saved by some editors start with a byte-order mark.
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
		}
		if !fn(n+1, line) {
			failed++
		}
		if err == io.EOF {
			return failed, nil
		}
	}
}

// Map reads the input lines of r with Each, parses each with Parse, and
// writes one output line per input line to w: fn's, which appends the
// result for id and text to b (without the newline), or an error line when
// the input line is unusable or fn fails. It returns how many lines failed.
func Map(ctx context.Context, r io.Reader, w io.Writer, max int, fn func(b, id []byte, text string) ([]byte, error)) (failed int, err error) {
	out := bufio.NewWriterSize(w, 64<<10)
	failed, err = Each(ctx, r, max, func(n int, line []byte) bool {
		id, text, msg := Parse(line)
		b := out.AvailableBuffer()
		if msg == "" {
			b2, ferr := fn(b, id, text)
			if ferr == nil {
				out.Write(append(b2, '\n'))
				return true
			}
			msg = ferr.Error()
		}
		out.Write(AppendError(b, id, msg, n))
		return false
	})
	if ferr := out.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("write: %w", ferr)
	}
	return failed, err
}

// input is one input object.
type input struct {
	ID   json.RawMessage `json:"id"`
	Text json.RawMessage `json:"text"`
}

// Parse parses an input line. It returns the id to echo (JSON null when
// the line has none) and an error message for a line that cannot be used.
// A nil line is one that Each found too long. Invalid UTF-8 anywhere in
// the line is an error, so that the id echoed back is always valid JSON.
func Parse(line []byte) (id []byte, text string, msg string) {
	if line == nil {
		return []byte("null"), "", "line is longer than --max-line bytes; it was skipped"
	}
	if id, text, ok := parseFast(line); ok {
		return id, text, ""
	}
	if !utf8.Valid(line) {
		return []byte("null"), "", "line is not valid UTF-8"
	}
	return parseSlow(line)
}

// parseSlow is Parse on encoding/json, for every line shape.
func parseSlow(line []byte) (id []byte, text string, msg string) {
	var in input
	if err := json.Unmarshal(line, &in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return []byte("null"), "", `each line must be a JSON object with "id" and "text"`
		}
		return []byte("null"), "", "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	id = in.ID
	if len(id) == 0 {
		id = []byte("null")
		return id, "", `missing "id"`
	}
	if c := id[0]; c != '"' && c != '-' && (c < '0' || c > '9') {
		return id, "", `"id" must be a string or a number`
	}
	if len(in.Text) == 0 || string(in.Text) == "null" {
		return id, "", `missing "text"`
	}
	if in.Text[0] != '"' {
		return id, "", `"text" must be a string`
	}
	if err := json.Unmarshal(in.Text, &text); err != nil {
		return id, "", "invalid JSON: " + err.Error()
	}
	if strings.TrimSpace(text) == "" {
		return id, "", `"text" is empty`
	}
	return id, text, ""
}

// parseFast parses the common input line, an object with only "id" (a
// string or number) and "text" (a string), without encoding/json's
// reflection, which cost a fifth of scoring time. It reports ok false for
// anything else, and Parse then decides, with its error messages; for the
// lines it accepts it returns what parseSlow would.
func parseFast(line []byte) (id []byte, text string, ok bool) {
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		return nil, "", false
	}
	var haveText bool
	for {
		i = skipSpace(line, i+1)
		if i >= len(line) || line[i] != '"' {
			return nil, "", false
		}
		end, escaped := scanString(line, i)
		if end < 0 || escaped {
			return nil, "", false
		}
		key := string(line[i+1 : end-1])
		i = skipSpace(line, end)
		if i >= len(line) || line[i] != ':' {
			return nil, "", false
		}
		i = skipSpace(line, i+1)
		if i >= len(line) {
			return nil, "", false
		}
		switch key {
		case "id":
			var j int
			if line[i] == '"' {
				j, _ = scanString(line, i)
			} else {
				j = scanNumber(line, i)
			}
			if j < 0 || !json.Valid(line[i:j]) {
				return nil, "", false
			}
			id, i = line[i:j], j
		case "text":
			if line[i] != '"' {
				return nil, "", false
			}
			j, escaped := scanString(line, i)
			if j < 0 {
				return nil, "", false
			}
			if escaped {
				if json.Unmarshal(line[i:j], &text) != nil {
					return nil, "", false
				}
			} else {
				text = string(line[i+1 : j-1])
			}
			haveText, i = true, j
		default:
			return nil, "", false
		}
		i = skipSpace(line, i)
		if i >= len(line) {
			return nil, "", false
		}
		if line[i] == '}' {
			break
		}
		if line[i] != ',' {
			return nil, "", false
		}
	}
	if skipSpace(line, i+1) != len(line) || id == nil || !haveText || strings.TrimSpace(text) == "" {
		return nil, "", false
	}
	return id, text, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// scanString returns the index after the JSON string starting at b[i] and
// whether it holds escapes, or -1 when it is not a clean string: unclosed,
// holding control characters or invalid UTF-8.
func scanString(b []byte, i int) (end int, escaped bool) {
	start := i + 1
	for j := start; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			if !utf8.Valid(b[start:j]) {
				return -1, false
			}
			return j + 1, escaped
		case c == '\\':
			escaped = true
			j++
		case c < 0x20:
			return -1, false
		}
	}
	return -1, false
}

// scanNumber returns the index after the number-like run at b[i].
func scanNumber(b []byte, i int) int {
	j := i
	for j < len(b) {
		switch c := b[j]; {
		case '0' <= c && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			j++
			continue
		}
		break
	}
	if j == i {
		return -1
	}
	return j
}
