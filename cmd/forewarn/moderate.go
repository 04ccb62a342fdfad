package main

import (
	"context"
	"fmt"
	"os"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/cli"
	"github.com/forewarn/forewarn/jsonl"
)

var moderateCommand = cli.Command{
	Name:    "moderate",
	Summary: "decide comments on a post: publish, hold or support (JSON Lines)",
	Run:     runModerate,
}

func runModerate(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("moderate", "--post FILE [--policy FILE] [--model FILE] [COMMENTS.jsonl|-]", `  forewarn moderate --post post.txt comments.jsonl > decisions.jsonl
  echo '{"id": 1, "text": "get over it"}' | forewarn moderate --post obituary.txt
  forewarn moderate --post post.txt --policy policy.json - < comments.jsonl

The post is plain text; its topics (found as "forewarn warn" finds them) are
the context: on a sensitive post (grief, pregnancy loss, child death,
suicide and the like) hostility aimed at the poster is held even without a
swear word, while kind comments that swear are published.

Input: one JSON object per line, {"id": <string or number>, "text": <string>}.
Output: one object per input line, in order:
  {"id": ..., "decision": "publish|hold|support", "scores": {...},
   "reasons": ["..."], "evidence": [{"label": "insult", "start": 0, "end": 5}]}
"support" means the commenter seems at risk of self-harm: the comment is
kept from view and the commenter is shown the policy's support text.
A line that fails gets {"id": ..., "error": "...", "line_number": N} and
the run goes on; the exit status is 1 when any line failed. Offsets are bytes into the text.
`)
	postFile := fs.String("post", "", "plain-text `file` of the post the comments answer (required)")
	policy := fs.String("policy", "", "moderation policy `file` (JSON over the built-in policy)")
	model := fs.String("model", "", "comment model `file` (default: the embedded model)")
	m.MaxLineFlag(fs)
	if err := m.Parse(fs, args); err != nil {
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
	det, mod, err := loadEngine(*model, *policy, "", "", nil)
	if err != nil {
		return err
	}
	post, err := forewarn.NewPost(det, mod, string(b))
	if err != nil {
		return err
	}
	return m.MapLines(ctx, "moderate", fs.Args(), jsonl.VerdictLine(mod, post, mod.ScoreNames()))
}
