package dataset

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cespare/xxhash/v2"
)

// ImplicitHateLabels are the labels of the texts ImplicitHate returns:
// hate (implicit or explicit), explicit (explicit hate), and threatening
// (an implicit-hate post whose stage-2 category is threatening).
var ImplicitHateLabels = []string{"hate", "explicit", "threatening"}

// ImplicitHate reads Latent Hatred (ElSherief et al., 2021) from dir: the
// stage-1 posts with their class, joined by text with the stage-2
// implicit categories. threatening is Unknown for explicit hate and for
// implicit hate without a stage-2 category. The ID is a hash of the post,
// so HashTest(ID) gives a split that holds across both files.
func ImplicitHate(dir string) ([]Text, error) {
	threat := map[string]bool{}
	err := eachTable(filepath.Join(dir, "implicit_hate_v1_stg2_posts.tsv"), '\t', []string{"post", "implicit_class"}, func(n int, f func(string) string) error {
		threat[f("post")] = f("implicit_class") == "threatening" || f("extra_implicit_class") == "threatening"
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []Text
	err = eachTable(filepath.Join(dir, "implicit_hate_v1_stg1_posts.tsv"), '\t', []string{"post", "class"}, func(n int, f func(string) string) error {
		post := f("post")
		var y []int8
		switch f("class") {
		case "not_hate":
			y = []int8{0, 0, 0}
		case "explicit_hate":
			y = []int8{1, 1, Unknown}
		case "implicit_hate":
			y = []int8{1, 0, Unknown}
			if th, ok := threat[post]; ok {
				y[2] = boolLabel(th)
			}
		default:
			return fmt.Errorf("%w: record %d: class %q", ErrFormat, n, f("class"))
		}
		out = append(out, Text{ID: fmt.Sprintf("implicit-hate-%016x", xxhash.Sum64String(post)), Text: strings.TrimSpace(post), Y: y})
		return nil
	})
	return out, err
}
