// Package dataset reads the public labelled datasets forewarn trains and
// evaluates on, in their published formats, into labelled texts.
//
// Datasets are read at training and evaluation time from wherever they
// live; nothing from them is stored in the project.
package dataset

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Unknown marks a label the dataset does not annotate.
const Unknown int8 = -1

// Comment labels, in the order of the comment model.
var CommentLabels = []string{"offensive", "targeted", "hate"}

// Text is one labelled text.
type Text struct {
	ID   string
	Text string
	// Y holds 1, 0 or Unknown per label of the label set the reader names.
	Y []int8
	// Group names the unit that must not be split between training and
	// validation (a work or user); empty means the text itself.
	Group string
}

// ErrFormat reports a file that is not in the expected format.
var ErrFormat = errors.New("unexpected dataset format")

// OLIDTrain reads the OLID training file (olid-training-v1.0.tsv) with
// CommentLabels: offensive from sub-task A, targeted from sub-task B (an
// untargeted or inoffensive tweet is not targeted), hate unknown except
// that an inoffensive tweet is not hate.
func OLIDTrain(path string) ([]Text, error) {
	var out []Text
	err := readTSV(path, func(line int, f []string) error {
		if len(f) < 5 {
			return fmt.Errorf("line %d: %d fields, want 5", line, len(f))
		}
		y := []int8{0, 0, 0}
		switch f[2] {
		case "OFF":
			y[0] = 1
			y[1] = boolLabel(f[3] == "TIN")
			y[2] = Unknown
		case "NOT":
		default:
			return fmt.Errorf("line %d: sub-task A label %q", line, f[2])
		}
		out = append(out, Text{ID: f[0], Text: f[1], Y: y})
		return nil
	})
	return out, err
}

// OLIDTest reads an official OLID test level: the tweets file (e.g.
// testset-levela.tsv) and its gold labels (labels-levela.csv), for
// evaluation only. Level "a" fills offensive, level "b" targeted (on the
// offensive tweets only); other labels are Unknown.
func OLIDTest(dir, level string) ([]Text, error) {
	gold := map[string]string{}
	f, err := os.Open(filepath.Join(dir, "labels-level"+level+".csv"))
	if err != nil {
		return nil, fmt.Errorf("read olid gold labels: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		id, lab, ok := strings.Cut(strings.TrimSpace(sc.Text()), ",")
		if ok {
			gold[id] = lab
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read olid gold labels: %w", err)
	}
	var out []Text
	err = readTSV(filepath.Join(dir, "testset-level"+level+".tsv"), func(line int, f []string) error {
		if len(f) < 2 {
			return fmt.Errorf("line %d: %d fields, want 2", line, len(f))
		}
		lab, ok := gold[f[0]]
		if !ok {
			return fmt.Errorf("line %d: no gold label for id %s", line, f[0])
		}
		y := []int8{Unknown, Unknown, Unknown}
		switch {
		case level == "a" && (lab == "OFF" || lab == "NOT"):
			y[0] = boolLabel(lab == "OFF")
		case level == "b" && (lab == "TIN" || lab == "UNT"):
			y[1] = boolLabel(lab == "TIN")
		default:
			return fmt.Errorf("line %d: level %s label %q", line, level, lab)
		}
		out = append(out, Text{ID: f[0], Text: f[1], Y: y})
		return nil
	})
	return out, err
}

// Davidson reads Davidson et al.'s labeled_data.csv with CommentLabels:
// hate for class 0, offensive for classes 0 and 1, targeted unknown.
func Davidson(path string) ([]Text, error) {
	return readFile(path, "davidson", readDavidson)
}

func readDavidson(r io.Reader) ([]Text, error) {
	t, err := newCSVTable(r, "class", "tweet")
	if err != nil {
		return nil, err
	}
	var out []Text
	err = t.each(func(n int, rec []string) error {
		c, err := strconv.Atoi(t.field(rec, "class"))
		if err != nil || c < 0 || c > 2 {
			return fmt.Errorf("%w: record %d class %q", ErrFormat, n, t.field(rec, "class"))
		}
		out = append(out, Text{ID: "davidson-" + rec[0], Text: t.field(rec, "tweet"), Y: []int8{boolLabel(c <= 1), Unknown, boolLabel(c == 0)}})
		return nil
	})
	return out, err
}

// Lines reads a file of one text per line, skipping empty lines.
func Lines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read lines: %w", err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimRight(l, "\r"); strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

func boolLabel(b bool) int8 {
	if b {
		return 1
	}
	return 0
}

// readTSV calls fn for every line after the header, split on tabs with no
// quoting (the OLID files contain bare quotes).
func readTSV(path string, fn func(line int, fields []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read tsv: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			continue
		}
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		if err := fn(n, strings.Split(line, "\t")); err != nil {
			return fmt.Errorf("read %s: %w: %v", filepath.Base(path), ErrFormat, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return nil
}

// OLIDTweet is one tweet of the OLID training file with its labels of the
// three levels as written ("OFF"/"NOT", "TIN"/"UNT"/"NULL",
// "IND"/"GRP"/"OTH"/"NULL").
type OLIDTweet struct {
	ID, Text string
	A, B, C  string
}

// OLIDLevels reads the OLID training file with the labels of all three
// levels, for recipes that map them onto their own labels.
func OLIDLevels(path string) ([]OLIDTweet, error) {
	var out []OLIDTweet
	err := readTSV(path, func(line int, f []string) error {
		if len(f) < 5 {
			return fmt.Errorf("line %d: %d fields, want 5", line, len(f))
		}
		if f[2] != "OFF" && f[2] != "NOT" {
			return fmt.Errorf("line %d: sub-task A label %q", line, f[2])
		}
		out = append(out, OLIDTweet{ID: f[0], Text: f[1], A: f[2], B: f[3], C: f[4]})
		return nil
	})
	return out, err
}
