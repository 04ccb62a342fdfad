package warn

// Test helpers for package warn_test, which may import the topic model.
var (
	Fixture           = fixture
	Innocent          = innocent
	CheckGoldenTopics = checkGoldenTopics
	BenchDetect       = benchDetect
	CheckDetect       = checkDetect
	FuzzSeeds         = fuzzSeeds
	BenchArticle      = benchArticle
)
