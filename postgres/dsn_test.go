package postgres

import "testing"

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://forewarn:s3cret@db/forewarn": "postgres://forewarn:xxxxx@db/forewarn",
		"postgres://forewarn@db/forewarn":        "postgres://forewarn@db/forewarn",
		"postgresql://u:p@h:5432/d":              "postgresql://u:xxxxx@h:5432/d",
		"forewarn.db":                            "forewarn.db",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	if !IsURL("postgresql://h/d") || !IsURL("postgres://h/d") || IsURL("forewarn.db") {
		t.Error("IsURL")
	}
}
