package http

import (
	"sync"
	"time"
)

// limiter is a token bucket per name (an API key's ID, or a client
// address): each may make rate requests a second on average and burst
// requests at once. At most maxBuckets names are tracked: when full, the
// buckets that have refilled (and so hold nothing a new bucket would not)
// are dropped, and if none has, the whole map is, which only ever lets a
// name through early.
type limiter struct {
	rate  float64
	burst float64
	max   int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the limiter's memory: 100,000 buckets take about 10 MB.
const maxBuckets = 100000

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), max: maxBuckets, buckets: make(map[string]*bucket)}
}

// allow takes a token from id's bucket. When none is left it returns false
// and how long until one will be.
func (l *limiter) allow(id string, now time.Time) (bool, time.Duration) {
	if l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[id]
	if !ok {
		if len(l.buckets) >= l.max {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[id] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens += d.Seconds() * l.rate
		if b.tokens > l.burst {
			b.tokens = l.burst
		}
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// prune drops the buckets that are full again at now, or all of them when
// none is.
func (l *limiter) prune(now time.Time) {
	for id, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, id)
		}
	}
	if len(l.buckets) >= l.max {
		clear(l.buckets)
	}
}
