package forewarn

import _ "embed"

// OpenAPI is the description of the HTTP API, openapi.yaml, which the
// server serves at /openapi.yaml and its tests check every exchange against.
//
//go:embed openapi.yaml
var OpenAPI []byte
