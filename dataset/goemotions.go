package dataset

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// GoEmotionsLabels are the 27 emotions and neutral of GoEmotions
// (Demszky et al., 2020), in the id order of its emotions.txt; they are
// the order of the Y of the texts GoEmotions returns.
var GoEmotionsLabels = []string{
	"admiration", "amusement", "anger", "annoyance", "approval", "caring",
	"confusion", "curiosity", "desire", "disappointment", "disapproval",
	"disgust", "embarrassment", "excitement", "fear", "gratitude", "grief",
	"joy", "love", "nervousness", "optimism", "pride", "realization",
	"relief", "remorse", "sadness", "surprise", "neutral",
}

// GoEmotions reads a GoEmotions split file (train.tsv, dev.tsv or
// test.tsv: text, comma-separated emotion ids, comment id; no header, no
// quoting) with GoEmotionsLabels, 1 for each emotion the raters chose and
// 0 for the others.
func GoEmotions(path string) ([]Text, error) {
	return readFile(path, "goemotions", readGoEmotions)
}

func readGoEmotions(r io.Reader) ([]Text, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var out []Text
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%w: line %d has %d fields, want 3", ErrFormat, n, len(f))
		}
		y := make([]int8, len(GoEmotionsLabels))
		for _, s := range strings.Split(f[1], ",") {
			id, err := strconv.Atoi(s)
			if err != nil || id < 0 || id >= len(y) {
				return nil, fmt.Errorf("%w: line %d: emotion id %q", ErrFormat, n, s)
			}
			y[id] = 1
		}
		out = append(out, Text{ID: "goemotions-" + f[2], Text: f[0], Y: y})
	}
	return out, sc.Err()
}
