package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/moderate"
)

var moderateCommand = command{
	name:    "moderate",
	summary: "decide comments on a post: publish, hold or support (JSON Lines)",
	run:     runModerate,
}

func runModerate(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("moderate", "--post FILE [--policy FILE] [--model FILE] [COMMENTS.jsonl|-]", `  forewarn moderate --post post.txt comments.jsonl > decisions.jsonl
  echo '{"id": 1, "text": "get over it"}' | forewarn moderate --post obituary.txt
  forewarn moderate --post post.txt --policy policy.json - < comments.jsonl

The post is plain text; its topics (found as "forewarn warn" finds them) are
the context: on a sensitive post (grief, pregnancy loss, child death,
suicide and the like) hostility aimed at the poster is held even without a
swear word, while kind comments that swear are published.

Input: one JSON object per line, {"id": <string or number>, "text": <string>}.
Output: one object per input line, in order:
  {"id": ..., "decision": "publish|hold|support", "scores": {...},
   "reasons": ["..."], "evidence": [{"start": 0, "end": 5}]}
"support" means the commenter seems at risk of self-harm: the comment is
kept from view and the commenter is shown the policy's support text.
A line that fails gets {"id": ..., "error": "...", "line_number": N} and
the run goes on; the exit status is 1 when any line failed. Offsets are bytes into the text.
`)
	postFile := fs.String("post", "", "plain-text `file` of the post the comments answer (required)")
	policy := fs.String("policy", "", "moderation policy `file` (JSON over the built-in policy)")
	model := fs.String("model", "", "comment model `file` (default: the embedded model)")
	m.maxLineFlag(fs)
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	if *postFile == "" {
		fs.Usage()
		return fmt.Errorf("moderate needs --post: %w", forewarn.ErrInvalid)
	}
	b, err := os.ReadFile(*postFile)
	if err != nil {
		return fmt.Errorf("read post: %w", err)
	}
	det, mod, err := loadEngine(*model, *policy)
	if err != nil {
		return err
	}
	post, err := newPost(det, mod, string(b))
	if err != nil {
		return err
	}
	in, err := m.openInput(fs.Args())
	if err != nil {
		return err
	}
	return m.eachOutputLine(ctx, "moderate", in, func(w *bufio.Writer, n int, line []byte) bool {
		return moderateLine(w, mod, post, n, line)
	})
}

// newPost builds the post comments are judged against: its topics and
// sensitivity.
func newPost(det forewarn.Detector, mod *moderate.Moderator, text string) (*forewarn.Post, error) {
	w, err := det.Warn(text, "")
	if err != nil {
		return nil, fmt.Errorf("warn post: %w", err)
	}
	return &forewarn.Post{Text: text, Line: w.Line, Topics: w.Topics, Sensitive: mod.Sensitive(w.Topics)}, nil
}

// moderateLine decides one input line and writes its output line.
func moderateLine(w *bufio.Writer, mod *moderate.Moderator, post *forewarn.Post, n int, line []byte) bool {
	id, text, msg := parseLine(line)
	b := w.AvailableBuffer()
	if msg != "" {
		w.Write(appendError(b, id, msg, n))
		return false
	}
	v := mod.Decide(post, text)
	v.Evidence = forewarn.MergeEvidence(v.Evidence, forewarn.MaxEvidence)
	b = append(b, `{"id":`...)
	b = append(b, id...)
	b = append(b, `,"decision":`...)
	b = strconv.AppendQuote(b, string(v.Decision))
	b = append(b, `,"scores":{`...)
	for i, name := range mod.ScoreNames() {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, name)
		b = append(b, ':')
		b = appendScore(b, v.Scores[name])
	}
	b = append(b, `},"reasons":[`...)
	for i, r := range v.Reasons {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, r)
	}
	b = append(b, `],"evidence":[`...)
	for i, e := range v.Evidence {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"start":`...)
		b = strconv.AppendInt(b, int64(e.Start), 10)
		b = append(b, `,"end":`...)
		b = strconv.AppendInt(b, int64(e.End), 10)
		b = append(b, `,"label":`...)
		b = strconv.AppendQuote(b, e.Label)
		b = append(b, '}')
	}
	b = append(b, ']')
	if v.Support != "" {
		b = append(b, `,"support":`...)
		b = strconv.AppendQuote(b, v.Support)
	}
	b = append(b, "}\n"...)
	w.Write(b)
	return true
}
