// Package news holds the team's labels of AG News World stories for the
// topics news reports carry (see README.md): the labels of the training
// part the topic model learns from and of the frozen test part. The
// stories themselves are read from the AG News release at training and
// evaluation time; only their ids and labels are kept here.
package news

import _ "embed"

// Train holds the labels of the training part, JSON Lines.
//
//go:embed train.jsonl
var Train []byte

// Test holds the labels of the frozen test part, JSON Lines; nothing
// trains or tunes on it.
//
//go:embed test.jsonl
var Test []byte
