package comment

import (
	"math"

	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/neural"
)

// fusedTable interleaves, for every feature bucket, the linear model's
// eight weights (as float32 bits, two to a word) and the network's packed
// embedding row of that bucket (four words of 16-bit lanes, see
// neural.Model.Row): eight words, one 64-byte cache line. Scoring a
// comment reads one line per feature for both models: with the two tables
// apart, the network's rows were a second cache miss per feature and
// `forewarn score` slowed by a third.
type fusedTable []uint64

// newFused returns the fused table of m and net, or nil when their shapes
// are not the ones it is laid out for (eight heads, 16 dimensions) or net
// was not read from a file.
func newFused(m *linear.Model, net *neural.Model) fusedTable {
	if len(m.Labels) != 8 || net.Config.Dim != 16 || net.Row(0) == nil {
		return nil
	}
	t := make(fusedTable, int(m.Features.Buckets)*8)
	for b := range int(m.Features.Buckets) {
		row := t[b*8 : b*8+8]
		w := m.W[b*8 : b*8+8]
		for k := range 4 {
			row[k] = uint64(math.Float32bits(w[2*k])) | uint64(math.Float32bits(w[2*k+1]))<<32
		}
		copy(row[4:], net.Row(uint32(b)))
	}
	return t
}

// margins writes into z the linear margins of the eight heads for feats,
// exactly as linear.Model.Margins does, and into netZ the network's
// margins, exactly as neural.Model.Margins does, in one pass.
func (t fusedTable) margins(m *linear.Model, net *neural.Model, ns *neural.Scratch, feats []features.Feature, z, netZ []float64) {
	var a0, a1, a2, a3, a4, a5, a6, a7 float32
	var acc [4]uint64
	for start := 0; start < len(feats); start += neural.PackBatch {
		batch := feats[start:min(len(feats), start+neural.PackBatch)]
		var n0, n1, n2, n3 uint64
		for _, f := range batch {
			r := (*[8]uint64)(t[int(f.Bucket)*8:])
			a0 += math.Float32frombits(uint32(r[0]))
			a1 += math.Float32frombits(uint32(r[0] >> 32))
			a2 += math.Float32frombits(uint32(r[1]))
			a3 += math.Float32frombits(uint32(r[1] >> 32))
			a4 += math.Float32frombits(uint32(r[2]))
			a5 += math.Float32frombits(uint32(r[2] >> 32))
			a6 += math.Float32frombits(uint32(r[3]))
			a7 += math.Float32frombits(uint32(r[3] >> 32))
			n0 += r[4]
			n1 += r[5]
			n2 += r[6]
			n3 += r[7]
		}
		acc = [4]uint64{n0, n1, n2, n3}
		ns.Flush(acc[:], len(batch))
	}
	scale := 0.0
	if len(feats) > 0 {
		// linear's featureScale.
		scale = 1 / math.Sqrt(float64(len(feats)))
	}
	for l, a := range [8]float32{a0, a1, a2, a3, a4, a5, a6, a7} {
		z[l] = float64(m.Bias[l]) + float64(a)*scale
	}
	net.Finish(ns, len(feats), netZ)
}
