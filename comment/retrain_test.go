package comment

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestRetrainIdentical retrains the comment model and its network with the
// documented recipe (forewarn train --data ../shared/data) and compares
// the bytes with the embedded files: training is deterministic, so a
// difference means the embedded models are not what the recipe and data
// in the repository give.
func TestRetrainIdentical(t *testing.T) {
	dir := needData(t, "")
	if testing.Short() {
		t.Skip("skipping retraining in short mode")
	}
	r := DefaultRecipe
	r.Data = dir
	r.Team = filepath.Join("..", r.Team)
	tr, err := Train(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name  string
		model interface{ MarshalBinary() ([]byte, error) }
	}{{DefaultModelName, tr.Model}, {NetName(DefaultModelName), tr.Net}}
	for _, f := range files {
		got, err := f.model.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		want, err := embedded.ReadFile(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("retrained %s differs from the embedded file (%d vs %d bytes): retrain with forewarn train", f.name, len(got), len(want))
		}
	}
}

// TestRetrainSpansIdentical does the same for the toxic-span model
// (forewarn train --task spans --data ../shared/data).
func TestRetrainSpansIdentical(t *testing.T) {
	dir := needData(t, "")
	if testing.Short() {
		t.Skip("skipping retraining in short mode")
	}
	m, _, err := TrainSpans(DefaultSpanRecipe, dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want, err := embedded.ReadFile(DefaultSpanModelName)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("retrained %s differs from the embedded file (%d vs %d bytes): retrain with forewarn train --task spans", DefaultSpanModelName, len(got), len(want))
	}
}
