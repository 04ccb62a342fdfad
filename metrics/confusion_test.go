package metrics

import (
	"encoding/json"
	"math"
	"testing"
)

func TestConfusion(t *testing.T) {
	var c Confusion
	for _, d := range []struct{ flagged, positive bool }{{true, true}, {true, true}, {true, false}, {false, true}, {false, false}, {false, false}, {false, false}} {
		c.Add(d.flagged, d.positive)
	}
	if c != (Confusion{TP: 2, FP: 1, FN: 1, TN: 3}) {
		t.Fatalf("counts %+v", c)
	}
	tests := []struct {
		what      string
		got, want float64
	}{
		{"accuracy", c.Accuracy(), 5.0 / 7},
		{"precision", c.Precision(), 2.0 / 3},
		{"recall", c.Recall(), 2.0 / 3},
		{"F1", c.F1(), 2.0 / 3},
		{"macro-F1", c.MacroF1(), (2.0/3 + 6.0/8) / 2},
		{"majority", c.Majority(), 4.0 / 7},
		{"accuracy objective", Accuracy.Of(c), 5.0 / 7},
		{"macro-F1 objective", MacroF1.Of(c), (2.0/3 + 6.0/8) / 2},
		{"F1 objective", F1.Of(c), 2.0 / 3},
		{"empty", Confusion{}.F1(), 0},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", tt.what, tt.got, tt.want)
		}
	}
}

func TestObjective(t *testing.T) {
	for _, s := range []string{"f1", "macro-f1", "accuracy"} {
		if _, err := ParseObjective(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"", "F1", "macro_f1", "auc"} {
		if _, err := ParseObjective(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
	var v struct{ O Objective }
	if err := json.Unmarshal([]byte(`{"O": "macro-f1"}`), &v); err != nil || v.O != MacroF1 {
		t.Errorf("unmarshal: %v, %q", err, v.O)
	}
	if err := json.Unmarshal([]byte(`{"O": "mcc"}`), &v); err == nil {
		t.Error("unmarshal of an unknown objective: no error")
	}
}

// TestFitLogistic fits targets that are exactly logistic in x, which the
// fit must recover, and hard labels split by a gap, where the penalty
// keeps the slope finite and positive.
func TestFitLogistic(t *testing.T) {
	var xs [][]float64
	var soft []float64
	for i := range 41 {
		x := float64(i)/10 - 2
		xs = append(xs, []float64{x})
		soft = append(soft, Logistic(2*x-1))
	}
	beta := FitLogistic(xs, soft, 0, 50)
	if math.Abs(beta[0]-2) > 1e-6 || math.Abs(beta[1]+1) > 1e-6 {
		t.Errorf("soft targets: beta %v, want [2 -1]", beta)
	}
	hard := make([]float64, len(xs))
	for i, x := range xs {
		if x[0] > 0 {
			hard[i] = 1
		}
	}
	beta = FitLogistic(xs, hard, 0.01, 30)
	if beta[0] <= 0 || math.IsInf(beta[0], 0) || math.IsNaN(beta[0]) {
		t.Errorf("separable hard labels: slope %v", beta[0])
	}
	if p := Logistic(Dot(beta, []float64{1})); p < 0.9 {
		t.Errorf("separable hard labels: p(x=1) = %v", p)
	}
}
