//go:build unix

package main

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/forewarn/forewarn"
	"github.com/forewarn/forewarn/comment"
)

// lengthTexts are the texts BenchmarkLength repeats to each size: the
// hostile phrase that once took time in the square of its count, and
// ordinary prose with a painful topic.
var lengthTexts = []struct{ name, unit string }{
	{"insults", "you idiot "},
	{"prose", "She described the months after the miscarriage as the hardest of her life, and said the grief came in waves. Volunteers at the food bank said demand had doubled this winter.\n\n"},
}

// BenchmarkLength measures score, warn, moderate and nudge on one text of
// 1 KB, 10 KB, 100 KB and 1 MB. Time per byte (the MB/s column, and
// cpu-ns/KB, the process's CPU time per KB, which other load on the machine
// does not inflate) stays flat when the work is linear in the text's
// length. Each size is measured after one unmeasured call (steady state).
func BenchmarkLength(b *testing.B) {
	det, mod, err := loadEngine("", "", "", "", nil)
	if err != nil {
		b.Fatal(err)
	}
	c, err := comment.LoadFile("")
	if err != nil {
		b.Fatal(err)
	}
	post := &forewarn.Post{ID: "p", Sensitive: true}
	ops := []struct {
		name string
		fn   func(text string)
	}{
		{"score", func(t string) { c.Classify(t) }},
		{"warn", func(t string) { det.Warn(t, "") }},
		{"moderate", func(t string) { mod.Decide(post, t) }},
		{"nudge", func(t string) { mod.Nudge(post, t) }},
	}
	for _, tx := range lengthTexts {
		for _, size := range []int{1 << 10, 10 << 10, 100 << 10, 1 << 20} {
			text := strings.Repeat(tx.unit, size/len(tx.unit)+1)[:size]
			for _, op := range ops {
				b.Run(fmt.Sprintf("%s/%s/%dKB", op.name, tx.name, size>>10), func(b *testing.B) {
					b.SetBytes(int64(len(text)))
					// One call first, so that the pooled buffers have
					// grown to this size once: a server reuses them, and
					// at 1 MB b.N is small enough that the first call's
					// growth would otherwise dominate the figure.
					op.fn(text)
					start := cpuTime()
					for b.Loop() {
						op.fn(text)
					}
					b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/float64(size>>10), "cpu-ns/KB")
				})
			}
		}
	}
}

// cpuTime returns the CPU time the process has used, in nanoseconds.
func cpuTime() int64 {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return r.Utime.Nano() + r.Stime.Nano()
}
