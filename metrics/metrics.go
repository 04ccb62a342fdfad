// Package metrics computes the classification figures forewarn reports:
// precision, recall, F1, macro-F1, ROC-AUC and AUPRC for binary labels,
// from one confusion matrix (Confusion); the objectives thresholds are
// chosen for (Objective); and the logistic fit that calibrates and stacks
// scores (FitLogistic).
package metrics

import "sort"

// Binary holds the figures for one binary label.
type Binary struct {
	N, Positives      int
	TP, FP, FN, TN    int
	Precision, Recall float64
	F1                float64
	// MacroF1 is the mean of the F1 of the positive and the negative class,
	// the measure of OffensEval sub-task A.
	MacroF1  float64
	Accuracy float64
	ROCAUC   float64
	AUPRC    float64
}

// Compute returns the figures for scores against gold labels (1 or 0) with
// the decision threshold t (flag when score >= t).
func Compute(scores []float64, gold []int8, t float64) Binary {
	var c Confusion
	for i, s := range scores {
		c.Add(s >= t, gold[i] == 1)
	}
	b := Binary{N: c.N(), TP: c.TP, FP: c.FP, FN: c.FN, TN: c.TN, Positives: c.TP + c.FN,
		Precision: c.Precision(), Recall: c.Recall(), F1: c.F1(), MacroF1: c.MacroF1(), Accuracy: c.Accuracy()}
	b.ROCAUC, b.AUPRC = ranking(scores, gold)
	return b
}

func div(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ranking returns ROC-AUC (with ties counted as half) and the area under
// the precision-recall curve as average precision.
func ranking(scores []float64, gold []int8) (auc, ap float64) {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	var P, N float64
	for _, g := range gold {
		if g == 1 {
			P++
		} else {
			N++
		}
	}
	if P == 0 || N == 0 {
		return 0, 0
	}
	var tp, fp, area float64
	for k := 0; k < len(idx); {
		j := k
		var dtp, dfp float64
		for j < len(idx) && scores[idx[j]] == scores[idx[k]] {
			if gold[idx[j]] == 1 {
				dtp++
			} else {
				dfp++
			}
			j++
		}
		area += dfp * (tp + dtp/2)
		if dtp > 0 {
			ap += dtp / P * (tp + dtp) / (tp + dtp + fp + dfp)
		}
		tp += dtp
		fp += dfp
		k = j
	}
	return area / (P * N), ap
}
