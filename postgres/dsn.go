package postgres

import "strings"

// IsURL reports whether dsn names a PostgreSQL database: a postgres:// or
// postgresql:// URL.
func IsURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Redact hides the password of a postgres:// URL, so that it can be logged.
func Redact(dsn string) string {
	at := strings.IndexByte(dsn, '@')
	if at < 0 {
		return dsn
	}
	for i := at - 1; i >= 0 && dsn[i] != '/'; i-- {
		if dsn[i] == ':' {
			return dsn[:i+1] + "xxxxx" + dsn[at:]
		}
	}
	return dsn
}
