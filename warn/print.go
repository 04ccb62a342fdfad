package warn

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/forewarn/forewarn"
)

// Print writes a warning for a reader at a terminal: the line, then each
// topic with its evidence sentences, the evidence highlighted in colour
// when color is set and in [brackets] otherwise. With withName, the
// text's name comes first and a blank line after.
func Print(w io.Writer, name, text string, warning forewarn.Warning, color, withName bool) {
	bold, hi, dim, reset := "", "", "", ""
	if color {
		bold, hi, dim, reset = "\x1b[1m", "\x1b[1;31m", "\x1b[2m", "\x1b[0m"
	}
	if withName {
		fmt.Fprintf(w, "%s%s%s\n", dim, name, reset)
	}
	if warning.Line == "" {
		fmt.Fprintln(w, "No warning.")
		return
	}
	fmt.Fprintf(w, "%s%s%s\n", bold, warning.Line, reset)
	for _, t := range warning.Topics {
		fmt.Fprintf(w, "\n  %s (%s, score %.2f, from paragraph %d)\n", t.Name, t.Prominence, t.Score, t.Paragraph+1)
		for _, e := range t.Evidence {
			sent := text[e.SentenceStart:e.SentenceEnd]
			a, b := e.Start-e.SentenceStart, e.End-e.SentenceStart
			line := sent[:a] + hi + sent[a:b] + reset + sent[b:]
			if !color {
				line = sent[:a] + "[" + sent[a:b] + "]" + sent[b:]
			}
			fmt.Fprintf(w, "    %s\n", strings.ReplaceAll(line, "\n", " "))
		}
	}
	if withName {
		fmt.Fprintln(w)
	}
}

// CheckStyle returns nil when style is empty or one of d's house styles,
// and otherwise an error that lists them, wrapping forewarn.ErrInvalid.
func (d *Detector) CheckStyle(style string) error {
	if _, ok := d.cfg.Styles[style]; style == "" || ok {
		return nil
	}
	names := make([]string, 0, len(d.cfg.Styles))
	for n := range d.cfg.Styles {
		names = append(names, n)
	}
	slices.Sort(names)
	return fmt.Errorf("unknown style %q (want one of %s): %w", style, strings.Join(names, ", "), forewarn.ErrInvalid)
}
