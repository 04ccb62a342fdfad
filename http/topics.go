package http

import "github.com/forewarn/forewarn"

// SensitiveTopics holds the IDs of the topics that make a post sensitive:
// on such a post, hostility aimed at the poster is held even when it carries
// no swear word.
var SensitiveTopics = map[string]bool{
	"grief":            true,
	"pregnancy-loss":   true,
	"child-death":      true,
	"death":            true,
	"suicide":          true,
	"self-harm":        true,
	"mental-illness":   true,
	"drug-use":         true,
	"eating-disorders": true,
	"sexual-violence":  true,
	"domestic-abuse":   true,
	"child-abuse":      true,
}

// IsSensitive reports whether any of topics is in SensitiveTopics.
func IsSensitive(topics []forewarn.Topic) bool {
	for _, t := range topics {
		if SensitiveTopics[t.ID] {
			return true
		}
	}
	return false
}
