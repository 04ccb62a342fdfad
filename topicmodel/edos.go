package topicmodel

import (
	"slices"

	"github.com/forewarn/forewarn/dataset"
)

// EDOSPath is the EDOS release under the data folder: posts from Reddit
// and Gab labelled sexist or not (Kirk et al., 2023).
const EDOSPath = "edos/edos_labelled_aggregated.csv"

// edosWeight scales the loss of an EDOS post for the sexism label, as
// newsWeight does a news story's: as much as a judged Webis passage, the
// value not tuned.
const edosWeight = 1

// EDOSDocs turns the posts of the official training split of EDOS into
// documents for sexism: a post the annotators judged sexist is about
// sexism, one they judged not sexist is not. Every other label is
// Unknown: the posts train sexism alone. The dev and test splits are
// left out.
func EDOSDocs(posts []dataset.EDOSPost) []Doc {
	sx := slices.Index(Labels, "sexism")
	var out []Doc
	for _, p := range dataset.EDOSSplit(posts, "train") {
		y := unknownY()
		y[sx] = p.Y[0]
		out = append(out, Doc{Text: p.Text, Y: y, Group: "edos-" + p.ID, Source: EDOS})
	}
	return out
}
