package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/detector"
	"github.com/forewarn/forewarn/jsonl"
	"github.com/forewarn/forewarn/warn"
)

var warnCommand = command{
	name:    "warn",
	summary: "name the painful topics of texts and print the warning line",
	run:     runWarn,
}

func runWarn(ctx context.Context, m *Main, args []string) error {
	fs := m.newFlagSet("warn", "[flags] FILE... | --jsonl [FILE|-]", `  forewarn warn article.txt
  forewarn warn --style note --json article.txt
  forewarn warn --jsonl texts.jsonl > warnings.jsonl
  forewarn warn --batch articles/
`)
	style := fs.String("style", "", "house style: news, note, tags or one from --styles (default: the configuration's default)")
	asJSON := fs.Bool("json", false, "print the warning as JSON")
	jsonLines := fs.Bool("jsonl", false, `read JSON Lines {"id","text"} from FILE or stdin and write one result line per input line`)
	batch := fs.Bool("batch", false, "warn every .txt file under a folder (or every line of a JSON Lines file) with a progress bar and a summary table")
	lexicon := fs.String("lexicon", "", "a lexicon `FILE` whose phrases add to the built-in lexicon")
	styles := fs.String("styles", "", "a JSON `FILE` of house styles and policy over the defaults")
	m.maxLineFlag(fs)
	if err := m.parseFlags(fs, args); err != nil {
		return err
	}
	d, err := detector.New(detector.Options{LexiconFile: *lexicon, StylesFile: *styles})
	if err != nil {
		return err
	}
	if _, ok := d.Config().Styles[*style]; *style != "" && !ok {
		names := slices.Sorted(func(yield func(string) bool) {
			for n := range d.Config().Styles {
				if !yield(n) {
					return
				}
			}
		})
		return fmt.Errorf("unknown style %q (want one of %s): %w", *style, strings.Join(names, ", "), forewarn.ErrInvalid)
	}
	switch {
	case *jsonLines && *batch:
		if fs.NArg() != 1 {
			return fmt.Errorf("--batch --jsonl takes one file: %w", forewarn.ErrInvalid)
		}
		return warnBatchJSONL(ctx, m, d, fs.Arg(0))
	case *jsonLines:
		if fs.NArg() > 1 {
			return fmt.Errorf("--jsonl takes at most one file: %w", forewarn.ErrInvalid)
		}
		return m.mapLines(ctx, "warn", fs.Args(), warnLine(d, nil))
	case *batch:
		if fs.NArg() != 1 {
			return fmt.Errorf("--batch takes one folder: %w", forewarn.ErrInvalid)
		}
		files, err := jsonl.TextFiles(fs.Arg(0))
		if err != nil {
			return err
		}
		bar := newBar(m, int64(len(files)), "warn")
		var sum jsonl.Summary
		failed, err := jsonl.WarnFiles(ctx, d, files, *style, m.Stdout, &sum, func() { _ = bar.Add(1) })
		return finishBatch(m, bar, &sum, failed, err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("no files given: %w", forewarn.ErrInvalid)
	}
	color := isTerminal(m.Stdout)
	for _, name := range fs.Args() {
		b, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read text: %w", err)
		}
		w, err := d.Warn(string(b), *style)
		if err != nil {
			return err
		}
		if *asJSON {
			w.Topics = forewarn.ShownTopics(w.Topics)
			out := struct {
				File string `json:"file"`
				forewarn.Warning
			}{name, w}
			if err := json.NewEncoder(m.Stdout).Encode(out); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			continue
		}
		warn.Print(m.Stdout, name, string(b), w, color, len(fs.Args()) > 1)
	}
	return nil
}

// warnLine returns the --jsonl line function: the topics of one text,
// counted in sum when it is set.
func warnLine(d *warn.Detector, sum *jsonl.Summary) func(b, id []byte, text string) ([]byte, error) {
	return func(b, id []byte, text string) ([]byte, error) {
		w, err := d.Warn(text, "")
		if err != nil {
			return nil, err
		}
		if sum != nil {
			sum.Add(w, false)
		}
		return jsonl.AppendWarning(b, id, w), nil
	}
}

// warnBatchJSONL runs --jsonl over a large file with a progress bar over
// its bytes and a summary table on stderr.
func warnBatchJSONL(ctx context.Context, m *Main, d *warn.Detector, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("open input: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat input: %w", err)
	}
	bar := newBar(m, st.Size(), "warn")
	r := progressbar.NewReader(f, bar)
	var sum jsonl.Summary
	failed, err := jsonl.Map(ctx, &r, m.Stdout, m.maxLine, warnLine(d, &sum))
	for range failed {
		sum.Add(forewarn.Warning{}, true)
	}
	return finishBatch(m, bar, &sum, failed, err)
}

// finishBatch ends a --batch run: the bar, the summary, the status.
func finishBatch(m *Main, bar *progressbar.ProgressBar, sum *jsonl.Summary, failed int, err error) error {
	_ = bar.Finish()
	sum.Print(m.Stderr)
	if err == nil && failed > 0 {
		err = errSomeFailed
	}
	return err
}

// newBar returns a progress bar on stderr. It shows only when stderr is a
// terminal and stdout is not: on a shared terminal its redraws would mix
// with the results, and in a log file it is noise.
func newBar(m *Main, total int64, what string) *progressbar.ProgressBar {
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(m.Stderr),
		progressbar.OptionSetVisibility(isTerminal(m.Stderr) && !isTerminal(m.Stdout)),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
}

// isTerminal reports whether w is a character device, where colour helps.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
