package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/comment"
)

var scoreCommand = command{
	name:    "score",
	summary: "score comments for hostility (JSON Lines in, JSON Lines out)",
	run:     runScore,
}

func runScore(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("score", "[--model PATH] [FILE|-]", `  echo '{"id": 1, "text": "you are a disgrace"}' | forewarn score
  forewarn score comments.jsonl > scores.jsonl
  forewarn score --model my.fwm - < comments.jsonl

Input: one JSON object per line, {"id": <string or number>, "text": <string>}.
Output: one object per input line, in order:
  {"id": ..., "scores": {"offensive": 0.93, ...}, "flagged": [...], "evidence": [{"label": ..., "start": 10, "end": 17}]}
A line that fails gets {"id": ..., "error": "...", "line_number": N} and
the run goes on; the exit status is 1 when any line failed. Offsets are bytes into the text.
`)
	model := fs.String("model", "", "comment model `file` (default: the embedded model)")
	m.maxLineFlag(fs)
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	c, err := loadClassifier(*model)
	if err != nil {
		return err
	}
	in, err := m.openInput(fs.Args())
	if err != nil {
		return err
	}
	return m.eachOutputLine(ctx, "score", in, func(w *bufio.Writer, n int, line []byte) bool {
		return scoreLine(w, c, n, line)
	})
}

// eachOutputLine runs fn on every line of in (n counts lines from 1), with
// a buffered writer on m.Stdout for fn's output line, and returns
// errSomeFailed when fn reported any line failed.
func (m *Main) eachOutputLine(ctx context.Context, name string, in io.Reader, fn func(w *bufio.Writer, n int, line []byte) bool) error {
	out := bufio.NewWriterSize(m.Stdout, 64<<10)
	failed, err := eachLine(ctx, in, m.maxLine, func(n int, line []byte) bool { return fn(out, n, line) })
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		fmt.Fprintf(m.Stderr, "forewarn %s: %d lines failed\n", name, failed)
		return errSomeFailed
	}
	return nil
}

// loadClassifier returns the classifier on the model file at path, or on
// the embedded model when path is empty.
func loadClassifier(path string) (*comment.Classifier, error) {
	if path == "" {
		return comment.Default()
	}
	return comment.Load(os.DirFS(filepath.Dir(path)), filepath.Base(path))
}

// openInput returns the input named by args: standard input for none or
// "-", else the one file named.
func (m *Main) openInput(args []string) (io.Reader, error) {
	switch {
	case len(args) == 0 || len(args) == 1 && args[0] == "-":
		return m.Stdin, nil
	case len(args) == 1:
		f, err := os.Open(args[0])
		if err != nil {
			return nil, err
		}
		m.onClose(f.Close)
		return f, nil
	}
	return nil, fmt.Errorf("want one input file or -, got %d arguments", len(args))
}

// defaultMaxLine is the longest JSON Lines input line, 1 MiB: fifty
// times the server's longest comment, and what the models take about a
// second and 100 MB of memory to score.
const defaultMaxLine = 1 << 20

// maxLineFlag adds --max-line, read into m.maxLine.
func (m *Main) maxLineFlag(fs *flag.FlagSet) {
	fs.IntVar(&m.maxLine, "max-line", defaultMaxLine, "longest input line in `bytes`; a longer line gets an error line and the rest of it is skipped")
}

// eachLine calls fn for every line of r (without its line ending) with its
// number counted from 1, and counts the lines fn reports failed. A final
// line without a newline counts; an empty input has no lines. A line
// longer than max bytes (default: defaultMaxLine) is not kept: fn gets it
// as nil, which parseLine reports, and the rest of it is skipped, so
// memory stays bounded whatever the input.
func eachLine(ctx context.Context, r io.Reader, max int, fn func(n int, line []byte) (ok bool)) (failed int, err error) {
	if max <= 0 {
		max = defaultMaxLine
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

// inputLine is one input object.
type inputLine struct {
	ID   json.RawMessage `json:"id"`
	Text json.RawMessage `json:"text"`
}

// parseLine parses an input line. It returns the id to echo (JSON null when
// the line has none) and an error message for a line that cannot be used.
// A nil line is one that eachLine found too long. Invalid UTF-8 anywhere in
// the line is an error, so that the id echoed back is always valid JSON.
func parseLine(line []byte) (id []byte, text string, msg string) {
	if line == nil {
		return []byte("null"), "", "line is longer than --max-line bytes; it was skipped"
	}
	if id, text, ok := parseFast(line); ok {
		return id, text, ""
	}
	if !utf8.Valid(line) {
		return []byte("null"), "", "line is not valid UTF-8"
	}
	return parseLineSlow(line)
}

// parseLineSlow is parseLine on encoding/json, for every line shape.
func parseLineSlow(line []byte) (id []byte, text string, msg string) {
	var in inputLine
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

// appendError appends an error output line, with the number of the input
// line that failed so that it can be found in a large file.
func appendError(b, id []byte, msg string, n int) []byte {
	b = append(b, `{"id":`...)
	b = append(b, id...)
	b = append(b, `,"error":`...)
	b = strconv.AppendQuote(b, msg)
	b = append(b, `,"line_number":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, "}\n"...)
}

// appendScore appends a probability rounded to four places.
func appendScore(b []byte, p float64) []byte {
	return strconv.AppendFloat(b, forewarn.RoundScore(p), 'f', -1, 64)
}

// scoreLine scores one input line and writes its output line.
func scoreLine(w *bufio.Writer, c *comment.Classifier, n int, line []byte) bool {
	id, text, msg := parseLine(line)
	b := w.AvailableBuffer()
	if msg != "" {
		w.Write(appendError(b, id, msg, n))
		return false
	}
	var probs [64]float64
	var evs [16]forewarn.Evidence
	labels := c.Labels()
	flagged, ev := c.Explain(text, probs[:len(labels)], evs[:0])
	b = append(b, `{"id":`...)
	b = append(b, id...)
	b = append(b, `,"scores":{`...)
	for l, name := range labels {
		if l > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, name)
		b = append(b, ':')
		b = appendScore(b, probs[l])
	}
	b = append(b, `},"flagged":[`...)
	first := true
	for l, name := range labels {
		if flagged&(1<<l) != 0 {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = strconv.AppendQuote(b, name)
		}
	}
	b = append(b, `],"evidence":[`...)
	for i, e := range ev {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"label":`...)
		b = strconv.AppendQuote(b, e.Label)
		b = append(b, `,"start":`...)
		b = strconv.AppendInt(b, int64(e.Start), 10)
		b = append(b, `,"end":`...)
		b = strconv.AppendInt(b, int64(e.End), 10)
		b = append(b, '}')
	}
	b = append(b, "]}\n"...)
	w.Write(b)
	return true
}
