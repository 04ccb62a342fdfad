package linear

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/metrics"
)

// Unknown marks a label that an example does not say anything about, such
// as "targeted" for a dataset that only labels hate. Such labels take no
// part in training or validation.
const Unknown int8 = -1

// Example is one training text as features and labels.
type Example struct {
	// Buckets are the example's feature buckets.
	Buckets []uint32
	// Y holds 1, 0 or Unknown per label.
	Y []int8
	// Weight scales the example's loss; 0 means 1.
	Weight float32
}

// TrainConfig sets the optimiser.
type TrainConfig struct {
	Epochs int     `json:"epochs"`
	LR     float64 `json:"lr"`
	L2     float64 `json:"l2"`
	Seed   uint64  `json:"seed"`
	// NB scales each feature by its naive Bayes log-count ratio for the
	// label (Wang and Manning's NBSVM) during training; the ratios are
	// folded into the weights afterwards, so scoring is unchanged.
	NB bool `json:"nb,omitempty"`
	// Objective picks thresholds (metrics.F1, metrics.MacroF1 or
	// metrics.Accuracy); an unknown name is an error when the
	// configuration is read or a model trained, never a silent default.
	Objective metrics.Objective `json:"objective"`
	// Heads overrides the optimiser for single labels by name; a label
	// not listed, and a zero field, keep the settings above. Each label's
	// weights are its own, so a head can learn at its own pace.
	Heads map[string]HeadConfig `json:"heads,omitempty"`
}

// HeadConfig is the optimiser setting of one label; zero fields keep the
// model's.
type HeadConfig struct {
	Epochs int     `json:"epochs,omitempty"`
	LR     float64 `json:"lr,omitempty"`
	L2     float64 `json:"l2,omitempty"`
}

// perLabel returns each label's epochs, learning rate and L2 under tc.
func (tc TrainConfig) perLabel(labels []string) (epochs []int, lr, l2 []float64) {
	for _, name := range labels {
		h := tc.Heads[name]
		epochs = append(epochs, cmp.Or(h.Epochs, tc.Epochs))
		lr = append(lr, cmp.Or(h.LR, tc.LR))
		l2 = append(l2, cmp.Or(h.L2, tc.L2))
	}
	return epochs, lr, l2
}

// DefaultTrainConfig is the optimiser setting of the embedded models.
var DefaultTrainConfig = TrainConfig{Epochs: 8, LR: 0.2, L2: 1e-6, Seed: 1, Objective: "macro-f1"}

// Progress is told after each example is seen; it may be nil.
type Progress func(done, total int)

// Train fits a model to examples. It is deterministic: the same examples,
// labels and configurations give the same weights.
func Train(examples []Example, labels []string, fc features.Config, tc TrainConfig, progress Progress) (*Model, error) {
	if err := fc.Validate(); err != nil {
		return nil, err
	}
	if len(labels) == 0 {
		return nil, errors.New("no labels")
	}
	if tc.Epochs <= 0 || tc.LR <= 0 {
		return nil, fmt.Errorf("epochs %d and lr %g must be positive", tc.Epochs, tc.LR)
	}
	for name, h := range tc.Heads {
		if !slices.Contains(labels, name) {
			return nil, fmt.Errorf("head settings for unknown label %q", name)
		}
		if h.Epochs < 0 || h.LR < 0 || h.L2 < 0 {
			return nil, fmt.Errorf("head %s: epochs, lr and l2 must not be negative", name)
		}
	}
	if err := tc.Objective.Validate(); err != nil {
		return nil, err
	}
	L := len(labels)
	epochs, lr, l2 := tc.perLabel(labels)
	for i, ex := range examples {
		if len(ex.Y) != L {
			return nil, fmt.Errorf("example %d has %d labels, want %d", i, len(ex.Y), L)
		}
	}
	m := &Model{
		Header: Header{
			Version:    FormatVersion,
			Features:   fc,
			Labels:     append([]string(nil), labels...),
			Thresholds: make([]float64, L),
			PlattA:     make([]float64, L),
			PlattB:     make([]float64, L),
			DataDigest: Digest(examples),
			Train:      tc,
		},
		W:    make([]float32, int(fc.Buckets)*L),
		Bias: make([]float32, L),
	}
	for l := range L {
		m.Thresholds[l], m.PlattA[l] = 0.5, 1
	}
	var nb []float32
	if tc.NB {
		nb = nbRatios(examples, L, int(fc.Buckets))
	}
	g2 := make([]float32, len(m.W))
	b2 := make([]float64, L)
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(tc.Seed, 0x5eed))
	z := make([]float64, L)
	grad := make([]float64, L)
	total := slices.Max(epochs) * len(examples)
	const eps = 1e-8
	active := make([]bool, L)
	for epoch := range slices.Max(epochs) {
		for l := range L {
			active[l] = epoch < epochs[l]
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for k, idx := range order {
			ex := &examples[idx]
			scale := featureScale(len(ex.Buckets))
			for l := range z {
				z[l] = 0
			}
			for _, b := range ex.Buckets {
				w := m.W[int(b)*L : int(b)*L+L]
				if nb != nil {
					r := nb[int(b)*L : int(b)*L+L]
					for l := range w {
						z[l] += float64(w[l] * r[l])
					}
					continue
				}
				for l := range w {
					z[l] += float64(w[l])
				}
			}
			wt := float64(ex.Weight)
			if wt == 0 {
				wt = 1
			}
			any := false
			for l := range L {
				grad[l] = 0
				if ex.Y[l] == Unknown || !active[l] {
					continue
				}
				p := sigmoid(float64(m.Bias[l]) + z[l]*scale)
				grad[l] = (p - float64(ex.Y[l])) * wt
				any = true
				b2[l] += grad[l] * grad[l]
				m.Bias[l] -= float32(lr[l] * grad[l] / math.Sqrt(b2[l]+eps))
			}
			if !any {
				continue
			}
			for _, b := range ex.Buckets {
				base := int(b) * L
				for l := range L {
					if ex.Y[l] == Unknown || !active[l] {
						continue
					}
					x := scale
					if nb != nil {
						x *= float64(nb[base+l])
					}
					g := grad[l]*x + l2[l]*float64(m.W[base+l])
					g2[base+l] += float32(g * g)
					m.W[base+l] -= float32(lr[l] * g / math.Sqrt(float64(g2[base+l])+eps))
				}
			}
			if progress != nil && k%1024 == 0 {
				progress(epoch*len(examples)+k, total)
			}
		}
	}
	if progress != nil {
		progress(total, total)
	}
	for i, r := range nb {
		m.W[i] *= r
	}
	return m, nil
}

// nbRatios returns, per bucket and label, the log ratio of how often the
// bucket occurs in positive and in negative examples (add-one smoothed),
// floored so that no feature is switched off entirely.
func nbRatios(examples []Example, L, buckets int) []float32 {
	pos := make([]float64, buckets*L)
	neg := make([]float64, buckets*L)
	var np, nn = make([]float64, L), make([]float64, L)
	for _, ex := range examples {
		for l, y := range ex.Y {
			if y == Unknown {
				continue
			}
			cnt, tot := neg, nn
			if y == 1 {
				cnt, tot = pos, np
			}
			for _, b := range ex.Buckets {
				cnt[int(b)*L+l]++
				tot[l]++
			}
		}
	}
	r := make([]float32, buckets*L)
	for i := range r {
		l := i % L
		v := math.Log((pos[i]+1)/(np[l]+float64(buckets))) - math.Log((neg[i]+1)/(nn[l]+float64(buckets)))
		r[i] = float32(math.Max(math.Abs(v), 0.1))
	}
	return r
}

// MarginsOf returns the raw margins of the model for a training example.
func (m *Model) MarginsOf(ex *Example, z []float64) {
	L := len(m.Labels)
	scale := featureScale(len(ex.Buckets))
	for l := range z {
		z[l] = 0
	}
	for _, b := range ex.Buckets {
		w := m.W[int(b)*L : int(b)*L+L]
		for l := range w {
			z[l] += float64(w[l])
		}
	}
	for l := range z {
		z[l] = float64(m.Bias[l]) + z[l]*scale
	}
}

// Calibrate fits each label's Platt scaling on held-out examples and then
// chooses the threshold on the calibrated probability that maximises the
// configured objective. Labels without both classes among the examples
// keep their defaults.
func (m *Model) Calibrate(val []Example) {
	L := len(m.Labels)
	margins := make([][]float64, len(val))
	ys := make([][]int8, len(val))
	for i := range val {
		margins[i] = make([]float64, L)
		m.MarginsOf(&val[i], margins[i])
		ys[i] = val[i].Y
	}
	m.CalibrateMargins(margins, ys)
}

// CalibrateMargins is Calibrate on margins computed elsewhere, such as
// out-of-fold margins from cross-validation: margins[i] and y[i] hold the
// margins and labels of example i.
func (m *Model) CalibrateMargins(margins [][]float64, y [][]int8) {
	for l := range m.Labels {
		var zs []float64
		var ls []int8
		for i := range margins {
			if y[i][l] != Unknown {
				zs = append(zs, margins[i][l])
				ls = append(ls, y[i][l])
			}
		}
		m.CalibrateLabel(l, zs, ls, m.Train.Objective)
	}
}

// CalibrateLabel fits label l's Platt scaling to held-out margins z with
// labels y (1 or 0) and chooses its threshold for the objective ("f1",
// "macro-f1" or "accuracy"). It lets a trainer calibrate on out-of-fold
// margins, and pick an objective per label. Without both classes the label
// keeps its calibration.
func (m *Model) CalibrateLabel(l int, z []float64, y []int8, objective metrics.Objective) {
	pos := 0
	for _, v := range y {
		pos += int(v)
	}
	if pos == 0 || pos == len(y) {
		return
	}
	m.PlattA[l], m.PlattB[l] = fitPlatt(z, y)
	ps := make([]float64, len(z))
	for i, v := range z {
		ps[i] = m.Prob(l, v)
	}
	m.Thresholds[l], _ = BestThreshold(ps, y, objective)
}

// fitPlatt fits p = sigmoid(a*z+b) to margins z with Platt's smoothed
// targets (against overconfidence), by metrics.FitLogistic without a
// penalty and at most 50 Newton steps.
func fitPlatt(z []float64, y []int8) (a, b float64) {
	var npos, nneg float64
	for _, v := range y {
		if v == 1 {
			npos++
		} else {
			nneg++
		}
	}
	hi, lo := (npos+1)/(npos+2), 1/(nneg+2)
	xs := make([][]float64, len(z))
	t := make([]float64, len(z))
	for i, zi := range z {
		xs[i] = []float64{zi}
		t[i] = lo
		if y[i] == 1 {
			t[i] = hi
		}
	}
	beta := metrics.FitLogistic(xs, t, 0, 50)
	return beta[0], beta[1]
}

// BestThreshold returns the cut on scores p that maximises the objective
// ("f1", "macro-f1" or "accuracy") over labels y, placed midway between
// neighbouring scores, and the objective's value there.
func BestThreshold(p []float64, y []int8, objective metrics.Objective) (threshold, score float64) {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return p[idx[a]] > p[idx[b]] })
	var P, N int
	for _, v := range y {
		if v == 1 {
			P++
		} else {
			N++
		}
	}
	best, bestT := -1.0, 0.5
	var c metrics.Confusion
	for k, i := range idx {
		if y[i] == 1 {
			c.TP++
		} else {
			c.FP++
		}
		if k+1 < len(idx) && p[idx[k+1]] == p[i] {
			continue
		}
		c.FN, c.TN = P-c.TP, N-c.FP
		score := objective.Of(c)
		if score > best {
			best = score
			if k+1 < len(idx) {
				bestT = (p[i] + p[idx[k+1]]) / 2
			} else {
				bestT = p[i] / 2
			}
		}
	}
	return bestT, best
}

// Digest returns a SHA-256 over the examples' features, labels and weights.
func Digest(examples []Example) string {
	h := sha256.New()
	var buf [4]byte
	for _, ex := range examples {
		binary.LittleEndian.PutUint32(buf[:], uint32(len(ex.Buckets)))
		h.Write(buf[:])
		for _, b := range ex.Buckets {
			binary.LittleEndian.PutUint32(buf[:], b)
			h.Write(buf[:])
		}
		for _, y := range ex.Y {
			h.Write([]byte{byte(y)})
		}
		binary.LittleEndian.PutUint32(buf[:], math.Float32bits(ex.Weight))
		h.Write(buf[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Average returns a model whose weights are the mean of the models' weights.
// Margins are linear in the weights, so this equals averaging the models'
// margins (bagging) at the cost of one model. The models must share
// features and labels; the header of the first is kept.
func Average(models ...*Model) *Model {
	out := &Model{Header: models[0].Header, W: make([]float32, len(models[0].W)), Bias: make([]float32, len(models[0].Bias))}
	k := float32(len(models))
	for _, m := range models {
		for i, w := range m.W {
			out.W[i] += w / k
		}
		for i, b := range m.Bias {
			out.Bias[i] += b / k
		}
	}
	return out
}
