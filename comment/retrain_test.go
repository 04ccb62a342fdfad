package comment

import (
	"path/filepath"
	"testing"

	"github.com/forewarn/forewarn/modeltest"
)

// TestRetrainIdentical retrains the comment model and its network with the
// documented recipe (forewarn train --data ../shared/data) and compares
// the bytes with the embedded files.
func TestRetrainIdentical(t *testing.T) {
	r := DefaultRecipe
	r.Data = modeltest.Retraining(t)
	r.Team = filepath.Join("..", r.Team)
	tr, err := Train(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	const retrain = "forewarn train"
	modeltest.Same(t, tr.Model, embedded, DefaultModelName, retrain)
	modeltest.Same(t, tr.Net, embedded, NetName(DefaultModelName), retrain)
}

// TestRetrainSpansIdentical does the same for the toxic-span model
// (forewarn train --task spans --data ../shared/data).
func TestRetrainSpansIdentical(t *testing.T) {
	m, _, err := TrainSpans(DefaultSpanRecipe, modeltest.Retraining(t))
	if err != nil {
		t.Fatal(err)
	}
	modeltest.Same(t, m, embedded, DefaultSpanModelName, "forewarn train --task spans")
}
