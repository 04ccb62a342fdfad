package metrics

import (
	"fmt"
	"math"
)

// Confusion is the confusion matrix of binary decisions.
type Confusion struct{ TP, FP, TN, FN int }

// Add counts one decision.
func (c *Confusion) Add(flagged, positive bool) {
	switch {
	case flagged && positive:
		c.TP++
	case flagged:
		c.FP++
	case positive:
		c.FN++
	default:
		c.TN++
	}
}

// N returns the number of decisions.
func (c Confusion) N() int { return c.TP + c.FP + c.TN + c.FN }

// Accuracy returns the share of right decisions.
func (c Confusion) Accuracy() float64 { return div(c.TP+c.TN, c.N()) }

// F1 returns the F1 of the positive class.
func (c Confusion) F1() float64 { return div(2*c.TP, 2*c.TP+c.FP+c.FN) }

// MacroF1 returns the mean of the F1 of the positive and of the negative
// class.
func (c Confusion) MacroF1() float64 {
	return (c.F1() + div(2*c.TN, 2*c.TN+c.FN+c.FP)) / 2
}

// Precision returns the share of flagged decisions that were positive.
func (c Confusion) Precision() float64 { return div(c.TP, c.TP+c.FP) }

// Recall returns the share of positives that were flagged.
func (c Confusion) Recall() float64 { return div(c.TP, c.TP+c.FN) }

// Majority returns the accuracy of always answering the commoner class.
func (c Confusion) Majority() float64 { return div(max(c.TP+c.FN, c.TN+c.FP), c.N()) }

// Objective is what a decision threshold is chosen to maximise. Its zero
// value is not an objective: ParseObjective and Validate refuse it.
type Objective string

// The objectives.
const (
	// F1 is the F1 of the positive class.
	F1 Objective = "f1"
	// MacroF1 is the mean F1 of both classes, for rare labels that would
	// otherwise simply never be flagged.
	MacroF1 Objective = "macro-f1"
	// Accuracy is the share of right decisions, the measure of the Webis
	// trigger-warning evaluation.
	Accuracy Objective = "accuracy"
)

// ParseObjective returns the objective named s, or an error for a name
// that is not one.
func ParseObjective(s string) (Objective, error) {
	o := Objective(s)
	return o, o.Validate()
}

// Validate reports an objective that is not one of the named ones.
func (o Objective) Validate() error {
	switch o {
	case F1, MacroF1, Accuracy:
		return nil
	}
	return fmt.Errorf("unknown objective %q (want %s, %s or %s)", string(o), F1, MacroF1, Accuracy)
}

// UnmarshalText parses an objective, refusing unknown names.
func (o *Objective) UnmarshalText(b []byte) error {
	v, err := ParseObjective(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// Of returns the objective's value on c; it panics on an objective that
// is not valid, which ParseObjective keeps out.
func (o Objective) Of(c Confusion) float64 {
	switch o {
	case F1:
		return c.F1()
	case MacroF1:
		return c.MacroF1()
	case Accuracy:
		return c.Accuracy()
	}
	panic(o.Validate())
}

// Logistic returns 1/(1+exp(-x)), without overflow for large |x|.
func Logistic(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// FitLogistic fits a logistic regression of targets t (in [0, 1]; 0 and
// 1 for hard labels) on the rows xs, with an intercept, by Newton's method
// with L2 penalty lambda per row on the slopes (not the intercept), for
// at most iters steps or until a step moves the coefficients by less than
// 1e-9 in total. It returns the slopes followed by the intercept; a
// singular Hessian stops it where it is.
func FitLogistic(xs [][]float64, t []float64, lambda float64, iters int) []float64 {
	d := len(xs[0]) + 1
	beta := make([]float64, d)
	row := make([]float64, d)
	for range iters {
		g := make([]float64, d)
		h := make([][]float64, d)
		for a := range h {
			h[a] = make([]float64, d)
		}
		for i, x := range xs {
			copy(row, x)
			row[d-1] = 1
			p := 1 / (1 + math.Exp(-Dot(beta, x)))
			r := p - t[i]
			w := p * (1 - p)
			for a := range d {
				g[a] += r * row[a]
				for b := range d {
					h[a][b] += w * row[a] * row[b]
				}
			}
		}
		for a := range d - 1 {
			g[a] += lambda * beta[a] * float64(len(xs))
			h[a][a] += lambda * float64(len(xs))
		}
		h[d-1][d-1] += 1e-9
		step := solve(h, g)
		if step == nil {
			break
		}
		var sz float64
		for a := range d {
			beta[a] -= step[a]
			sz += math.Abs(step[a])
		}
		if sz < 1e-9 {
			break
		}
	}
	return beta
}

// Dot returns the logistic margin of x under beta as FitLogistic returns
// it: the slopes followed by the intercept.
func Dot(beta, x []float64) float64 {
	v := beta[len(beta)-1]
	for k, xk := range x {
		v += beta[k] * xk
	}
	return v
}

// solve solves h x = g by Gaussian elimination with partial pivoting; nil
// when h is singular.
func solve(h [][]float64, g []float64) []float64 {
	n := len(g)
	a := make([][]float64, n)
	for i := range a {
		a[i] = append(append([]float64(nil), h[i]...), g[i])
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return nil
		}
		a[c], a[p] = a[p], a[c]
		for r := range n {
			if r == c {
				continue
			}
			k := a[r][c] / a[c][c]
			for j := c; j <= n; j++ {
				a[r][j] -= k * a[c][j]
			}
		}
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = a[i][n] / a[i][i]
	}
	return x
}
