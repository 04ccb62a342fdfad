package selfharm

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestRetrainIdentical retrains the self-harm model with the documented
// recipe (forewarn train --task self-harm --data ../shared/data) and
// compares the bytes with the embedded file: training is deterministic,
// so a difference means the embedded model is not what the recipe and
// data in the repository give.
func TestRetrainIdentical(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("skipping: the public datasets are not checked out next to the module")
	}
	if testing.Short() {
		t.Skip("skipping retraining in short mode")
	}
	r := DefaultRecipe
	r.Data = dir
	r.Team = nil
	for _, p := range DefaultRecipe.Team {
		r.Team = append(r.Team, filepath.Join("..", p))
	}
	m, _, err := Train(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want, err := embedded.ReadFile(DefaultModelName)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("retrained model differs from %s (%d vs %d bytes): retrain with forewarn train --task self-harm", DefaultModelName, len(got), len(want))
	}
}
