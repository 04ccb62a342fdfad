package features

import (
	"reflect"
	"testing"
)

func TestExtractDeterministicAndInRange(t *testing.T) {
	e, err := NewExtractor(DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	text := "You absolute clown, f u c k off 😡 #GoHome"
	a, toks := e.Extract(nil, text)
	ntoks := len(toks)
	b, _ := e.Extract(nil, text)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same text gave different features")
	}
	for _, f := range a {
		if f.Bucket >= DefaultConfig.Buckets {
			t.Fatalf("bucket %d out of range", f.Bucket)
		}
		if f.Tok < 0 || f.TokEnd > int32(ntoks) || f.Tok >= f.TokEnd {
			t.Fatalf("feature tokens [%d,%d) out of %d", f.Tok, f.TokEnd, ntoks)
		}
	}
}

func TestSeedChangesBuckets(t *testing.T) {
	c := DefaultConfig
	e1, _ := NewExtractor(c)
	c.Seed++
	e2, _ := NewExtractor(c)
	a, _ := e1.Extract(nil, "hello there")
	b, _ := e2.Extract(nil, "hello there")
	if reflect.DeepEqual(a, b) {
		t.Fatal("a different seed gave the same buckets")
	}
}

func TestDisguisesShareFeatures(t *testing.T) {
	e, _ := NewExtractor(DefaultConfig)
	plain, _ := e.Extract(nil, "idiot")
	got, _ := e.Extract(nil, "1d10t")
	if !reflect.DeepEqual(plain, got) {
		t.Fatal("a l33t spelling did not map onto the plain word's features")
	}
}

func TestValidate(t *testing.T) {
	bad := []Config{
		{Buckets: 1 << 10, WordNgrams: 1},
		{Buckets: 1000, WordNgrams: 1, Hash: HashVersion},
		{Buckets: 1 << 10, WordNgrams: 3, Hash: HashVersion},
		{Buckets: 1 << 10, WordNgrams: 1, MinN: 4, MaxN: 2, Hash: HashVersion},
	}
	for _, c := range bad {
		if _, err := NewExtractor(c); err == nil {
			t.Errorf("config %+v accepted", c)
		}
	}
}

func FuzzExtract(f *testing.F) {
	e, _ := NewExtractor(DefaultConfig)
	f.Add("f*u*c*k \xff you")
	f.Fuzz(func(t *testing.T, text string) {
		fs, toks := e.Extract(nil, text)
		for _, ft := range fs {
			if ft.Bucket >= DefaultConfig.Buckets || ft.Tok < 0 || int(ft.TokEnd) > len(toks) {
				t.Fatalf("bad feature %+v", ft)
			}
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	e, _ := NewExtractor(DefaultConfig)
	text := "@USER @USER Go home you’re drunk!!! This is the stupidest thing I have ever read, what a clown. #MAGA URL"
	var fs []Feature
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		fs, _ = e.Extract(fs[:0], text)
	}
}
