package main

import (
	"context"

	"github.com/forewarn/forewarn/cli"
	"github.com/forewarn/forewarn/comment"
	"github.com/forewarn/forewarn/jsonl"
	"github.com/forewarn/forewarn/selfharm"
)

var scoreCommand = cli.Command{
	Name:    "score",
	Summary: "score comments for hostility (JSON Lines in, JSON Lines out)",
	Run:     runScore,
}

func runScore(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("score", "[--model PATH] [FILE|-]", `  echo '{"id": 1, "text": "you are a disgrace"}' | forewarn score
  forewarn score comments.jsonl > scores.jsonl
  forewarn score --model my.fwm - < comments.jsonl

Input: one JSON object per line, {"id": <string or number>, "text": <string>}.
Output: one object per input line, in order:
  {"id": ..., "scores": {"offensive": 0.93, ...}, "flagged": [...], "evidence": [{"label": ..., "start": 10, "end": 17}]}
A line that fails gets {"id": ..., "error": "...", "line_number": N} and
the run goes on; the exit status is 1 when any line failed. Offsets are bytes into the text.
`)
	model := fs.String("model", "", "comment model `file` (default: the embedded model)")
	m.MaxLineFlag(fs)
	if err := m.Parse(fs, args); err != nil {
		return err
	}
	c, err := comment.LoadFile(*model)
	if err != nil {
		return err
	}
	sh, err := selfharm.Default()
	if err != nil {
		return err
	}
	return m.MapLines(ctx, "score", fs.Args(), jsonl.ScoreLine(selfharm.NewScorer(c, sh)))
}
