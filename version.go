package forewarn

import (
	"fmt"
	"runtime/debug"
)

// Version says which build of forewarn is running.
type Version struct {
	// Version is the module version ("v1.2.3"), or "(devel)" for a build
	// from a work tree.
	Version string `json:"version"`
	// Commit is the VCS revision the binary was built from, with Modified
	// set when the work tree had uncommitted changes; empty when the build
	// did not record one (go run, go test).
	Commit   string `json:"commit"`
	Modified bool   `json:"modified"`
	// Time is the commit time, RFC 3339.
	Time string `json:"time"`
	// Go is the Go version that built the binary.
	Go string `json:"go"`
}

// BuildVersion reads the version from the build information that the Go
// toolchain embeds in every binary.
func BuildVersion() Version {
	v := Version{Version: "(devel)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.Go = bi.GoVersion
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String returns the version on one line: "forewarn v1.2.3 (commit
// 0123abcd, 2026-01-02T03:04:05Z, modified) go1.26".
func (v Version) String() string {
	s := "forewarn " + v.Version
	if v.Commit != "" {
		c := v.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		s += " (commit " + c
		if v.Time != "" {
			s += ", " + v.Time
		}
		if v.Modified {
			s += ", modified"
		}
		s += ")"
	}
	return fmt.Sprintf("%s %s", s, v.Go)
}
