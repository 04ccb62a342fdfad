// Package modeltest holds what the retraining tests of the embedded models
// share: finding the public datasets next to the module, and comparing a
// retrained model's bytes with its embedded file.
package modeltest

import (
	"bytes"
	"encoding"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Retraining returns the folder of the public datasets as seen from a
// package folder of the module, or skips the test when the datasets are
// not checked out next to the module or the tests run with -short.
func Retraining(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("skipping: the public datasets are not checked out next to the module")
	}
	if testing.Short() {
		t.Skip("skipping retraining in short mode")
	}
	return dir
}

// Same reports an error unless m encodes to exactly the bytes of the file
// name in fsys. Training is deterministic, so a difference means the
// embedded file is not what its recipe and data give; retrain says how to
// write it again.
func Same(t testing.TB, m encoding.BinaryMarshaler, fsys fs.FS, name, retrain string) {
	t.Helper()
	got, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("retrained model differs from %s (%d vs %d bytes): retrain with %s", name, len(got), len(want), retrain)
	}
}
