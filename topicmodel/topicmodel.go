// Package topicmodel is the learned part of topic detection: a linear
// multi-label model over hashed features for the topics that have public
// labelled data (Webis passage-level trigger warnings, Dreaddit subreddits
// and the reddit C-SSRS users), its training recipe and its evaluations.
//
// The trained model is embedded; Default loads it.
package topicmodel

import (
	"embed"
	"sync"

	"github.com/forewarn/forewarn/linear"
)

// ModelFile is the name of the embedded model file.
const ModelFile = "topics.fwm"

//go:embed topics.fwm
var modelFS embed.FS

var loadDefault = sync.OnceValues(func() (*linear.Model, error) {
	return linear.Load(modelFS, ModelFile)
})

// Default returns the embedded topic model, decoded on first use. The model
// is shared and must not be modified.
func Default() (*linear.Model, error) { return loadDefault() }
