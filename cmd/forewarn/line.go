package main

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// parseFast parses the common input line, an object with only "id" (a
// string or number) and "text" (a string), without encoding/json's
// reflection, which cost a fifth of scoring time. It reports ok false for
// anything else, and parseLine then decides, with its error messages; for
// the lines it accepts it returns what parseLine would.
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
