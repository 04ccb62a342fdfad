package selfharm

import (
	"path/filepath"
	"testing"

	"github.com/forewarn/forewarn/modeltest"
)

// TestRetrainIdentical retrains the self-harm model with the documented
// recipe (forewarn train --task self-harm --data ../shared/data) and
// compares the bytes with the embedded file.
func TestRetrainIdentical(t *testing.T) {
	r := DefaultRecipe
	r.Data = modeltest.Retraining(t)
	r.Team = nil
	for _, p := range DefaultRecipe.Team {
		r.Team = append(r.Team, filepath.Join("..", p))
	}
	m, _, err := Train(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	modeltest.Same(t, m, embedded, DefaultModelName, "forewarn train --task self-harm")
}
