package main

import (
	"context"
	"fmt"
	"os"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/cli"
	"github.com/forewarn/forewarn/detector"
	"github.com/forewarn/forewarn/jsonl"
	"github.com/forewarn/forewarn/warn"
)

var warnCommand = cli.Command{
	Name:    "warn",
	Summary: "name the painful topics of texts and print the warning line",
	Run:     runWarn,
}

func runWarn(ctx context.Context, m *cli.Main, args []string) error {
	fs := m.FlagSet("warn", "[flags] FILE... | --jsonl [FILE|-]", `  forewarn warn article.txt
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
	m.MaxLineFlag(fs)
	if err := m.Parse(fs, args); err != nil {
		return err
	}
	d, err := detector.New(detector.Options{LexiconFile: *lexicon, StylesFile: *styles})
	if err != nil {
		return err
	}
	if err := d.CheckStyle(*style); err != nil {
		return err
	}
	switch {
	case *jsonLines && *batch:
		if fs.NArg() != 1 {
			return fmt.Errorf("--batch --jsonl takes one file: %w", forewarn.ErrInvalid)
		}
		var sum jsonl.Summary
		failed, err := m.MapFile(ctx, fs.Arg(0), jsonl.WarnLine(d, &sum))
		for range failed {
			sum.Add(forewarn.Warning{}, true)
		}
		sum.Print(m.Stderr)
		return m.Failed("warn", failed, err)
	case *jsonLines:
		if fs.NArg() > 1 {
			return fmt.Errorf("--jsonl takes at most one file: %w", forewarn.ErrInvalid)
		}
		return m.MapLines(ctx, "warn", fs.Args(), jsonl.WarnLine(d, nil))
	case *batch:
		if fs.NArg() != 1 {
			return fmt.Errorf("--batch takes one folder: %w", forewarn.ErrInvalid)
		}
		files, err := jsonl.TextFiles(fs.Arg(0))
		if err != nil {
			return err
		}
		bar := m.Bar(int64(len(files)), "warn")
		var sum jsonl.Summary
		failed, err := jsonl.WarnFiles(ctx, d, files, *style, m.Stdout, &sum, func() { _ = bar.Add(1) })
		_ = bar.Finish()
		sum.Print(m.Stderr)
		return m.Failed("warn", failed, err)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("no files given: %w", forewarn.ErrInvalid)
	}
	color := cli.IsTerminal(m.Stdout)
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
			if err := jsonl.WriteFileWarning(m.Stdout, name, w); err != nil {
				return err
			}
			continue
		}
		warn.Print(m.Stdout, name, string(b), w, color, len(fs.Args()) > 1)
	}
	return nil
}
