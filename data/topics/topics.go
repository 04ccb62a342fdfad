// Package topics holds the team-written topic passages (see README.md):
// the training part the topic model learns from and the frozen test part.
package topics

import _ "embed"

// Train is the training part, JSON Lines.
//
//go:embed train.jsonl
var Train []byte

// Test is the frozen test part, JSON Lines; nothing trains or tunes on it.
//
//go:embed test.jsonl
var Test []byte
