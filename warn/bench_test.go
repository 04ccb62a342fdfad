package warn

import (
	"strings"
	"testing"
)

// benchArticle builds a long article (over 100 KB) of news-like paragraphs,
// some with painful topics, most without.
func benchArticle() string {
	paras := []string{
		"The council met on Tuesday evening to discuss the new cycle lanes, which residents say have made the high street safer for children walking to school.",
		"Dr. Patel, who has run the clinic for 12 years, said the waiting list had grown by 40 per cent since the spring. “We are doing what we can,” she said.",
		"Police said a man was stabbed outside a bar in the early hours of Sunday and taken to hospital, where he remains in a serious condition.",
		"She described the months after the miscarriage as the hardest of her life, and said the grief came in waves she could not predict.",
		"The striker was on fire, scoring twice before half time, and the home fans were dying to see whether he could complete his hat-trick.",
		"Volunteers at the food bank said demand had doubled, and that many families were choosing between heating and eating this winter.",
		"He spoke openly about his addiction to alcohol, the years of relapse and rehab, and the friends who stayed with him through it.",
		"The film was shot on location in the hills above the town, and the crew stayed at the only hotel for six weeks.",
	}
	var b strings.Builder
	for i := 0; b.Len() < 120<<10; i++ {
		b.WriteString(paras[i%len(paras)])
		b.WriteString("\n\n")
	}
	return b.String()
}

func BenchmarkDetect(b *testing.B) { benchDetect(b, newDetector(b)) }

// benchDetect measures d on the long article.
func benchDetect(b *testing.B, d *Detector) {
	text := benchArticle()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		d.Detect(text)
	}
}
