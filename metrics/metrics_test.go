package metrics

import (
	"math"
	"testing"
)

func TestCompute(t *testing.T) {
	tests := []struct {
		name           string
		scores         []float64
		gold           []int8
		t              float64
		f1, macro, auc float64
	}{
		{"perfect", []float64{0.9, 0.8, 0.2, 0.1}, []int8{1, 1, 0, 0}, 0.5, 1, 1, 1},
		{"inverted", []float64{0.1, 0.2, 0.8, 0.9}, []int8{1, 1, 0, 0}, 0.5, 0, 0, 0},
		{"all ties", []float64{0.5, 0.5, 0.5, 0.5}, []int8{1, 0, 1, 0}, 0.5, 2.0 / 3, 1.0 / 3, 0.5},
		{"one error", []float64{0.9, 0.4, 0.6, 0.1}, []int8{1, 1, 0, 0}, 0.5, 0.5, 0.5, 0.75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Compute(tt.scores, tt.gold, tt.t)
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"F1", b.F1, tt.f1}, {"MacroF1", b.MacroF1, tt.macro}, {"ROCAUC", b.ROCAUC, tt.auc}} {
				if math.Abs(c.got-c.want) > 1e-9 {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestAUPRC(t *testing.T) {
	// Ranked: pos, neg, pos. Precision at the positives: 1 and 2/3.
	b := Compute([]float64{0.9, 0.5, 0.1}, []int8{1, 0, 1}, 0.5)
	if want := (1 + 2.0/3) / 2; math.Abs(b.AUPRC-want) > 1e-9 {
		t.Errorf("AUPRC = %v, want %v", b.AUPRC, want)
	}
}
