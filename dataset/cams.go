package dataset

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CAMSCauses are the causes of distress of CAMS (Garg et al., 2022), in
// the order of the paper's categories and of the Y of the texts CAMS
// returns.
var CAMSCauses = []string{"no-reason", "bias-or-abuse", "jobs-and-careers", "medication", "relationship", "alienation"}

// CAMS reads a CAMS file: intent_sdcnl_train.csv or intent_sdcnl_test.csv
// (columns selftext, ANNOTATIONS) or cams_added.csv (selftext, cause). Y
// is one-hot over CAMSCauses; a post without a class has every label
// Unknown. Group is the post's body (see PostGroup), shared with SDCNL.
func CAMS(path string) ([]Text, error) {
	return readFile(path, "cams", readCAMS)
}

func readCAMS(r io.Reader) ([]Text, error) {
	t, err := newCSVTable(r, "selftext")
	if err != nil {
		return nil, err
	}
	col := "cause"
	if _, ok := t.col["ANNOTATIONS"]; ok {
		col = "ANNOTATIONS"
	} else if _, ok := t.col[col]; !ok {
		return nil, fmt.Errorf("%w: want a cause or ANNOTATIONS column", ErrFormat)
	}
	var out []Text
	err = t.each(func(n int, rec []string) error {
		body := strings.TrimSpace(t.field(rec, "selftext"))
		y := make([]int8, len(CAMSCauses))
		if c := strings.TrimSpace(t.field(rec, col)); c == "" {
			for i := range y {
				y[i] = Unknown
			}
		} else {
			k, err := strconv.Atoi(c)
			if err != nil || k < 0 || k >= len(y) {
				return fmt.Errorf("%w: record %d: cause %q", ErrFormat, n, c)
			}
			y[k] = 1
		}
		out = append(out, Text{ID: fmt.Sprintf("cams-%d", n), Text: body, Y: y, Group: PostGroup(body)})
		return nil
	})
	return out, err
}
