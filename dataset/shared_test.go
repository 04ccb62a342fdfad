package dataset

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedData returns the folder of the public datasets next to the module,
// or skips the test when it is absent.
func sharedData(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipping: dataset %s not found (the public datasets are not checked out next to the module)", rel)
	}
	return p
}

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
