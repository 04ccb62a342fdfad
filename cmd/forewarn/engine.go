package main

import (
	"github.com/forewarn/forewarn/detector"
	"github.com/forewarn/forewarn/moderate"
	"github.com/forewarn/forewarn/warn"
)

// loadEngine returns the topic detector and the comment moderator that
// serve and moderate run on: the shipped detector with the publisher's
// lexicon and styles files (empty: none), and the moderator on the comment
// model file model (empty: the embedded model) under the policy file
// policy (empty: the built-in policy), edited by edit when set.
func loadEngine(model, policy, lexicon, styles string, edit func(*moderate.Policy)) (*warn.Detector, *moderate.Moderator, error) {
	det, err := detector.New(detector.Options{LexiconFile: lexicon, StylesFile: styles})
	if err != nil {
		return nil, nil, err
	}
	mod, err := moderate.LoadFiles(model, policy, edit)
	if err != nil {
		return nil, nil, err
	}
	return det, mod, nil
}
