package main

import (
	"fmt"
	"os"

	"github.com/forewarn/forewarn/moderate"
	"github.com/forewarn/forewarn/warn"
)

// loadEngine returns the topic detector and the comment moderator that
// serve and moderate run on: the shipped detector, and the moderator on
// the comment model file at model (empty: the embedded model) under the
// policy file at policy (empty: the built-in policy).
func loadEngine(model, policy string) (*warn.Detector, *moderate.Moderator, error) {
	return loadEngineWith(model, policy, nil)
}

// loadEngineWith is loadEngine with a change to the policy applied after
// the file is read, for flags that override it.
func loadEngineWith(model, policy string, edit func(*moderate.Policy)) (*warn.Detector, *moderate.Moderator, error) {
	return loadEngineFiles(model, policy, "", "", edit)
}

// loadEngineFiles is loadEngineWith with the publisher's lexicon and
// styles files (empty: none) added to the shipped detector.
func loadEngineFiles(model, policy, lexicon, styles string, edit func(*moderate.Policy)) (*warn.Detector, *moderate.Moderator, error) {
	det, err := newWarnDetector(lexicon, styles)
	if err != nil {
		return nil, nil, err
	}
	c, err := loadClassifier(model)
	if err != nil {
		return nil, nil, err
	}
	p := moderate.DefaultPolicy()
	if policy != "" {
		b, err := os.ReadFile(policy)
		if err != nil {
			return nil, nil, fmt.Errorf("read policy: %w", err)
		}
		if p, err = moderate.ParsePolicy(b); err != nil {
			return nil, nil, err
		}
	}
	if edit != nil {
		edit(&p)
	}
	mod, err := moderate.New(c, p)
	if err != nil {
		return nil, nil, err
	}
	return det, mod, nil
}
