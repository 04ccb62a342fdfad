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
	"time"
)

// Room is how much time a retraining test wants left before its test
// binary's deadline: retraining the comment model and its network takes
// about five minutes on a quiet core, and twice that or more when other
// test binaries share the machine (go test runs packages in parallel),
// which then overran go test's default timeout of ten minutes.
const Room = 20 * time.Minute

// Retraining returns the folder of the public datasets as seen from a
// package folder of the module, or skips the test when the datasets are
// not checked out next to the module, the tests run with -short, or the
// test binary's deadline leaves less than Room (go test's default timeout
// of ten minutes does: run go test -timeout 60m to retrain).
func Retraining(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("skipping: the public datasets are not checked out next to the module")
	}
	if testing.Short() {
		t.Skip("skipping retraining in short mode")
	}
	if d, ok := t.Deadline(); ok && time.Until(d) < Room {
		t.Skipf("skipping retraining: %v left before the test timeout, want %v (go test -timeout 60m)", time.Until(d).Round(time.Second), Room)
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
