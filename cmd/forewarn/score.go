package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/jsonl"
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
	c, err := comment.LoadFile(*model)
	if err != nil {
		return err
	}
	return m.mapLines(ctx, "score", fs.Args(), scoreLine(c))
}

// scoreLine returns the line function of score: c's scores, flagged
// labels and evidence for one comment.
func scoreLine(c *comment.Classifier) func(b, id []byte, text string) ([]byte, error) {
	labels := c.Labels()
	return func(b, id []byte, text string) ([]byte, error) {
		var probs [64]float64
		var evs [16]forewarn.Evidence
		flagged, ev := c.Explain(text, probs[:len(labels)], evs[:0])
		return jsonl.AppendScored(b, id, labels, probs[:len(labels)], flagged, ev), nil
	}
}

// mapLines runs fn on every input line of the input named by args (see
// openInput) and writes the output lines to m.Stdout; it returns
// errSomeFailed when any line failed.
func (m *Main) mapLines(ctx context.Context, name string, args []string, fn func(b, id []byte, text string) ([]byte, error)) error {
	in, err := m.openInput(args)
	if err != nil {
		return err
	}
	failed, err := jsonl.Map(ctx, in, m.Stdout, m.maxLine, fn)
	if err != nil {
		return err
	}
	if failed > 0 {
		fmt.Fprintf(m.Stderr, "forewarn %s: %d lines failed\n", name, failed)
		return errSomeFailed
	}
	return nil
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
			return nil, fmt.Errorf("open input: %w", err)
		}
		m.onClose(f.Close)
		return f, nil
	}
	return nil, fmt.Errorf("want one input file or -, got %d arguments: %w", len(args), forewarn.ErrInvalid)
}

// maxLineFlag adds --max-line, read into m.maxLine.
func (m *Main) maxLineFlag(fs *flag.FlagSet) {
	fs.IntVar(&m.maxLine, "max-line", jsonl.DefaultMaxLine, "longest input line in `bytes`; a longer line gets an error line and the rest of it is skipped")
}
