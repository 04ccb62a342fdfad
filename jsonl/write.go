package jsonl

import (
	"strconv"
	"unicode/utf8"

	"github.com/forewarn/forewarn"
)

// AppendString appends s as a JSON string, escaped as encoding/json
// escapes it with HTML escaping off: quotes, backslashes, control
// characters, U+2028 and U+2029; invalid UTF-8 becomes U+FFFD.
func AppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendError appends an error output line, with the number of the input
// line that failed so that it can be found in a large file.
func AppendError(b, id []byte, msg string, n int) []byte {
	b = append(b, `{"id":`...)
	b = append(b, id...)
	b = append(b, `,"error":`...)
	b = AppendString(b, msg)
	b = append(b, `,"line_number":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, "}\n"...)
}

// AppendScore appends a probability rounded to the four places outputs
// show (forewarn.RoundScore).
func AppendScore(b []byte, p float64) []byte {
	return strconv.AppendFloat(b, forewarn.RoundScore(p), 'f', -1, 64)
}

// AppendEvidence appends spans as a JSON array of {"label", "start",
// "end"} objects, the field order of forewarn.Evidence, leaving "label"
// out when it is empty as encoding/json does.
func AppendEvidence(b []byte, ev []forewarn.Evidence) []byte {
	b = append(b, '[')
	for i, e := range ev {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		if e.Label != "" {
			b = append(b, `"label":`...)
			b = AppendString(b, e.Label)
			b = append(b, ',')
		}
		b = append(b, `"start":`...)
		b = strconv.AppendInt(b, int64(e.Start), 10)
		b = append(b, `,"end":`...)
		b = strconv.AppendInt(b, int64(e.End), 10)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendStrings appends ss as a JSON array of strings.
func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, s)
	}
	return append(b, ']')
}

// appendScores appends {"name": score, ...} in the order of names.
func appendScores(b []byte, names []string, score func(i int, name string) float64) []byte {
	b = append(b, '{')
	for i, name := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, name)
		b = append(b, ':')
		b = AppendScore(b, score(i, name))
	}
	return append(b, '}')
}

// AppendScored appends the output object of "forewarn score" for one
// comment: {"id", "scores", "flagged", "evidence"}, with a score per label
// in the model's order (probs[i] is labels[i]'s), the labels whose bit is
// set in flagged, and the evidence spans.
func AppendScored(b, id []byte, labels []string, probs []float64, flagged uint64, ev []forewarn.Evidence) []byte {
	b = append(b, `{"id":`...)
	b = append(b, id...)
	b = append(b, `,"scores":`...)
	b = appendScores(b, labels, func(i int, _ string) float64 { return probs[i] })
	b = append(b, `,"flagged":[`...)
	first := true
	for l, name := range labels {
		if flagged&(1<<l) != 0 {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = AppendString(b, name)
		}
	}
	b = append(b, `],"evidence":`...)
	b = AppendEvidence(b, ev)
	return append(b, '}')
}

// AppendVerdict appends the output object of "forewarn moderate" for one
// comment: {"id", "decision", "scores", "reasons", "evidence"} and
// "support" when the decision carries a support text. Scores come in the
// order of names.
func AppendVerdict(b, id []byte, names []string, v forewarn.Verdict) []byte {
	b = append(b, `{"id":`...)
	b = append(b, id...)
	b = append(b, `,"decision":`...)
	b = AppendString(b, string(v.Decision))
	b = append(b, `,"scores":`...)
	b = appendScores(b, names, func(_ int, name string) float64 { return v.Scores[name] })
	b = append(b, `,"reasons":`...)
	b = appendStrings(b, v.Reasons)
	b = append(b, `,"evidence":`...)
	b = AppendEvidence(b, v.Evidence)
	if v.Support != "" {
		b = append(b, `,"support":`...)
		b = AppendString(b, v.Support)
	}
	return append(b, '}')
}

// AppendWarning appends the output object of "forewarn warn --jsonl" for
// one text: {"id", "line", "topics"}, "topics" present even when empty,
// each topic {"id", "name", "score", "prominence", "evidence"} with its
// evidence as spans without labels.
func AppendWarning(b, id []byte, w forewarn.Warning) []byte {
	b = append(b, `{"id":`...)
	b = append(b, id...)
	b = append(b, `,"line":`...)
	b = AppendString(b, w.Line)
	b = append(b, `,"topics":[`...)
	var ev []forewarn.Evidence
	for i, t := range w.Topics {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = AppendString(b, t.ID)
		b = append(b, `,"name":`...)
		b = AppendString(b, t.Name)
		b = append(b, `,"score":`...)
		b = AppendScore(b, t.Score)
		b = append(b, `,"prominence":`...)
		b = AppendString(b, t.Prominence.String())
		b = append(b, `,"evidence":`...)
		ev = ev[:0]
		for _, e := range t.Evidence {
			ev = append(ev, forewarn.Evidence{Start: e.Start, End: e.End})
		}
		b = AppendEvidence(b, ev)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}
