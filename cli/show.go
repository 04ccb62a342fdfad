package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"text/tabwriter"
	"time"

	"github.com/forewarn/forewarn"
)

// WriteKeys writes keys as a table: id, role, when created and revoked.
func WriteKeys(w io.Writer, keys []forewarn.Key) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tROLE\tCREATED\tREVOKED")
	for _, k := range keys {
		revoked := "-"
		if k.RevokedAt != nil {
			revoked = k.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.ID, k.Role, k.CreatedAt.Format(time.RFC3339), revoked)
	}
	return tw.Flush()
}

// WriteJSON writes v to m.Stdout as indented JSON.
func (m *Main) WriteJSON(v any) error {
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ReadJSON decodes the JSON file at path into v, over what v holds (a
// recipe file over the default recipe); an empty path leaves v alone.
func ReadJSON(path string, v any) error {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// SetMemoryLimit sets the Go runtime's soft memory limit to size (see
// ParseBytes); an empty size leaves it alone.
func SetMemoryLimit(size string) error {
	if size == "" {
		return nil
	}
	n, err := ParseBytes(size)
	if err != nil {
		return err
	}
	debug.SetMemoryLimit(n)
	return nil
}
