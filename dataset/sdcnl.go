package dataset

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
)

// SDCNL reads an SDCNL split file (train.csv or test.csv; Haque et al.,
// 2021) with the single label is_suicide: 1 for a post from
// r/SuicideWatch, 0 for one from r/depression. The text is the title and
// the body. Group is the post's body (see PostGroup), so that the same
// post in CAMS falls on the same side of a split.
func SDCNL(path string) ([]Text, error) {
	return readFile(path, "sdcnl", readSDCNL)
}

func readSDCNL(r io.Reader) ([]Text, error) {
	t, err := newCSVTable(r, "title", "selftext", "is_suicide")
	if err != nil {
		return nil, err
	}
	var out []Text
	err = t.each(func(n int, rec []string) error {
		y, err := strconv.Atoi(t.field(rec, "is_suicide"))
		if err != nil || (y != 0 && y != 1) {
			return fmt.Errorf("%w: record %d: is_suicide %q", ErrFormat, n, t.field(rec, "is_suicide"))
		}
		title, body := strings.TrimSpace(t.field(rec, "title")), strings.TrimSpace(t.field(rec, "selftext"))
		txt := title
		if body != "" {
			txt += "\n\n" + body
		}
		id := t.field(rec, "orig_index")
		if id == "" {
			id = strconv.Itoa(n)
		}
		out = append(out, Text{ID: "sdcnl-" + id, Text: txt, Y: []int8{int8(y)}, Group: PostGroup(body)})
		return nil
	})
	return out, err
}

// PostGroup names a Reddit post by its body, lower-cased with runs of
// white space collapsed, so that the copies of one post in SDCNL and CAMS
// get the same Group.
func PostGroup(body string) string {
	norm := strings.Join(strings.Fields(strings.ToLower(body)), " ")
	return fmt.Sprintf("post-%016x", xxhash.Sum64String(norm))
}
