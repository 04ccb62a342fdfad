package comment

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"

	"github.com/cespare/xxhash/v2"

	"github.com/forewarn/forewarn/dataset"
	"github.com/forewarn/forewarn/features"
	"github.com/forewarn/forewarn/linear"
	"github.com/forewarn/forewarn/metrics"
	"github.com/forewarn/forewarn/neural"
)

// Recipe says which data the comment model learns from and how.
type Recipe struct {
	// Data is the folder of the public datasets; the sources and their
	// paths within it are fixed (see loadSources).
	Data string `json:"-"`
	// Team is the path of the team-written training comments; empty
	// leaves them out.
	Team string `json:"team"`
	// Weights scales the loss of each source by name; a source not listed
	// weighs 1 and a weight of 0 leaves the source out.
	Weights map[string]float32 `json:"weights"`
	// Folds is the number of folds of the cross-validation whose pooled
	// out-of-fold scores calibrate the model and choose every threshold.
	Folds int `json:"folds"`
	// Bags is the number of models, each trained on a bootstrap resample,
	// whose weights are averaged; 0 or 1 trains one.
	Bags int `json:"bags"`

	// Skip, when set, leaves out the texts it returns true for.
	Skip func(id string) bool `json:"-"`

	Features features.Config    `json:"features"`
	Train    linear.TrainConfig `json:"train"`
	// Members are extra one-head models averaged into their heads.
	Members []Member `json:"members,omitempty"`
	// Net, when set, trains a neural network beside the linear model and
	// blends it into some heads.
	Net *NetRecipe `json:"net,omitempty"`
}

// NetRecipe is a neural network (package neural) trained on the same
// examples as the linear model, all heads at once so that they share its
// representation, and blended into the margins of a few heads: a blended
// head's margin is the linear margin plus the network's times a weight
// chosen on the out-of-fold scores of the head's benchmark training part
// (see chooseBlend). The shipped network keeps the outputs of those heads
// only.
type NetRecipe struct {
	Config neural.Config `json:"config"`
	Heads  []string      `json:"heads"`
}

// Member is a one-head model trained beside the comment model and averaged
// into one of its heads: the head's weights and bias become the mean of
// its own and its members'. Margins are linear in the weights, so the
// shipped model still scores a comment in one pass, and the average is an
// ensemble of differently trained models of the same features.
type Member struct {
	// Head is the label the member is averaged into.
	Head string `json:"head"`
	// Sources limits the member's training texts to these sources; empty
	// keeps every source that carries the head.
	Sources []string `json:"sources,omitempty"`
	// Train is the member's optimiser setting.
	Train linear.TrainConfig `json:"train"`
}

// DefaultRecipe is the recipe of the embedded model. The weights and the
// optimiser settings were chosen by 5-fold out-of-fold figures on the
// training parts (see docs/moderation.md):
//   - team: the team-written comments weigh 3 (chosen when they were 71;
//     277 since the second batch), so that a handful of
//     comments can move a boundary that thousands of tweets do not cover;
//   - davidson: 0.5, since its tweets are many and their hate label is
//     noisy (most "hate" tweets are slurs between friends);
//   - goemotions: 1, the real comment-section negatives.
//
// Weighing the team comments 5, the identity statements 3 and adding the
// SDCNL titles as short examples gave no better figures (OLID A
// out-of-fold macro-F1 0.749 either way, team-written holds no better), so
// the simpler recipe stayed.
//
// Two heads have settings of their own, chosen on out-of-fold macro-F1 of
// their benchmark's training part (each head's weights are its own, so a
// head's setting does not move the others):
//   - targeted learns from OLID's 4,400 offensive training tweets only and
//     overfits them at the shared setting: 3 epochs at learning rate 0.03
//     raised OLID B's out-of-fold macro-F1 from 0.606 to 0.620 (ROC-AUC
//     0.656 to 0.682); balanced class weights, no naive-Bayes scaling,
//     more L2 or 20 epochs did not help;
//   - sexism is the mean of the head trained on every source that carries
//     it and a member trained on EDOS alone: EDOS out-of-fold macro-F1
//     0.761 (head alone), 0.764 (EDOS alone), 0.768 (their mean; ROC-AUC
//     0.851 to 0.858). More members (other seeds, L2, learning rates,
//     word n-grams only, with or without naive-Bayes scaling) and bags
//     added at most 0.001.
//
// A neural network (Net) is blended into sexism and targeted, at the
// share each head's benchmark chooses on its out-of-fold figures. Its
// shape and optimiser were chosen on the same out-of-fold figures (EDOS
// macro-F1 and OLID B macro-F1 of the blend; docs/moderation.md has the
// table): 2^17 rows of 16 dimensions, 32 hidden units, 3 epochs at
// learning rate 0.05. 2^16 and 2^18 rows, 32 dimensions, learning rates 0.02, 0.1
// and 0.2, 1, 2 and 5 epochs and dropping 30% of the features while
// training did no better; at 0.2 and more epochs the network alone
// overfits (EDOS out-of-fold ROC-AUC 0.73 at 5 epochs, 0.79 at 2).
var DefaultRecipe = Recipe{
	Team:     "data/comments/train.jsonl",
	Weights:  map[string]float32{"team": 3, "davidson": 0.5},
	Folds:    5,
	Features: features.DefaultConfig,
	Train: linear.TrainConfig{Epochs: 10, LR: 0.1, L2: 1e-6, Seed: 1, Objective: "macro-f1", NB: true,
		Heads: map[string]linear.HeadConfig{"targeted": {Epochs: 3, LR: 0.03}}},
	Members: []Member{{Head: "sexism", Sources: []string{"edos"},
		Train: linear.TrainConfig{Epochs: 10, LR: 0.1, L2: 1e-6, Seed: 1, Objective: "macro-f1", NB: true}}},
	Net: &NetRecipe{Heads: []string{"sexism", "targeted"},
		Config: neural.Config{Buckets: 1 << 17, Dim: 16, Hidden: 32, Epochs: 3, LR: 0.05, Seed: 1}},
}

// LabelReport holds a label's held-out figures on one set of texts.
type LabelReport struct {
	Label string
	// Set names the texts: "all" for the pooled training sources, or a
	// benchmark's training part.
	Set       string
	Threshold float64
	metrics.Binary
}

// Benchmark is a public test split and the head it measures. Its
// threshold is the one that maximises macro-F1 on the out-of-fold scores
// of the same dataset's training part; it is stored in the model's notes
// as "threshold/<name>".
type Benchmark struct {
	Name, Label string
	// Source is the training source whose out-of-fold scores choose the
	// threshold, and Keep picks its texts (nil keeps all).
	Source string
	Keep   func(y []int8) bool
}

// Benchmarks are the figures the recipe chooses dataset thresholds for.
var Benchmarks = []Benchmark{
	{Name: "olid-a", Label: "offensive", Source: "olid"},
	{Name: "olid-b", Label: "targeted", Source: "olid", Keep: func(y []int8) bool { return y[lOff] == 1 }},
	{Name: "edos", Label: "sexism", Source: "edos"},
	{Name: "implicit-hate", Label: "hate", Source: "implicit-hate"},
	{Name: "stormfront", Label: "hate", Source: "stormfront"},
	{Name: "toxic-spans-insult", Label: "insult", Source: "toxic-spans"},
	{Name: "toxic-spans-threat", Label: "threat", Source: "toxic-spans"},
	{Name: "toxic-spans-identity", Label: "hate", Source: "toxic-spans"},
	{Name: "toxic-spans-profanity", Label: "profanity", Source: "toxic-spans"},
	{Name: "sdcnl", Label: "self_harm", Source: "sdcnl"},
}

// OOF is the out-of-fold result of a training: for every training text,
// its source, labels and calibrated probabilities from the fold model that
// did not see it.
type OOF struct {
	Src   []string
	Y     [][]int8
	Probs [][]float64
	Calib []bool
	// Kind marks the kind, sad or grieving GoEmotions comments.
	Kind []bool
	// Neutral and Sensitive are the policy thresholds ChooseThresholds
	// picked on these scores, before the model's own thresholds of the
	// hold heads were raised to Neutral.
	Neutral, Sensitive map[string]float64
}

// Trained is what Train returns.
type Trained struct {
	// Model is the linear model, calibrated on the blended margins of the
	// heads the network is blended into.
	Model *linear.Model
	// Net is the network blended into some of Model's heads, or nil.
	Net *neural.Model
	// Reports holds the held-out figures: per label on the pooled
	// out-of-fold scores, and per benchmark on its training part.
	Reports []LabelReport
	// Blends says, per blended head, how its weight was chosen.
	Blends []Blend
	// OOF holds the out-of-fold scores.
	OOF *OOF
}

// Train trains the comment model following r and returns it with held-out
// figures: per label on the pooled out-of-fold scores, and per benchmark
// on its training part.
func Train(r Recipe, progress linear.Progress) (*Trained, error) {
	items, err := r.loadSources()
	if err != nil {
		return nil, err
	}
	ex, err := features.NewExtractor(r.Features)
	if err != nil {
		return nil, err
	}
	texts := make([]dataset.Text, len(items))
	for i := range items {
		texts[i] = items[i].Text
	}
	all := Examples(ex, texts)
	for i := range all {
		all[i].Weight = items[i].weight
	}
	folds := max(r.Folds, 2)
	fold := make([]int, len(items))
	for i, it := range items {
		key := it.Group
		if key == "" {
			key = it.ID
		}
		fold[i] = int(xxhash.Sum64String("fold/"+key) % uint64(folds))
	}
	// Every training text is held out once: the pooled out-of-fold
	// margins calibrate a final model trained on all the data.
	margins := make([][]float64, len(all))
	var netZ [][]float64
	if r.Net != nil {
		netZ = make([][]float64, len(all))
	}
	srcs := make([]string, len(items))
	for i := range items {
		srcs[i] = items[i].src
	}
	for f := range folds {
		var fit []linear.Example
		var fitSrc []string
		for i := range all {
			if fold[i] != f {
				fit = append(fit, all[i])
				fitSrc = append(fitSrc, srcs[i])
			}
		}
		fm, err := r.fit(fit, fitSrc, nil)
		if err != nil {
			return nil, err
		}
		var net *neural.Model
		if r.Net != nil {
			if net, err = r.fitNet(fit); err != nil {
				return nil, err
			}
		}
		for i := range all {
			if fold[i] == f {
				margins[i] = make([]float64, len(Labels))
				fm.MarginsOf(&all[i], margins[i])
				if net != nil {
					netZ[i] = make([]float64, len(net.Labels))
					net.MarginsOf(all[i].Buckets, net.NewScratch(), netZ[i])
				}
			}
		}
	}
	m, err := r.fit(all, srcs, progress)
	if err != nil {
		return nil, err
	}
	calibY := make([][]int8, len(items))
	oof := &OOF{}
	for i, it := range items {
		calibY[i] = it.Y
		if !it.calib {
			calibY[i] = labels()
		}
		oof.Src = append(oof.Src, it.src)
		oof.Y = append(oof.Y, it.Y)
		oof.Calib = append(oof.Calib, it.calib)
		oof.Kind = append(oof.Kind, it.kind)
	}
	if m.Notes == nil {
		m.Notes = map[string]string{}
	}
	out := &Trained{OOF: oof}
	if r.Net != nil {
		if out.Net, out.Blends, err = r.blend(all, m, margins, netZ, calibY, oof); err != nil {
			return nil, err
		}
	}
	m.CalibrateMargins(margins, calibY)
	for i := range margins {
		p := make([]float64, len(Labels))
		for l, z := range margins[i] {
			p[l] = m.Prob(l, z)
		}
		oof.Probs = append(oof.Probs, p)
	}
	if len(r.Members) > 0 {
		// The header records the main optimiser only; the members are
		// part of how the weights came about.
		b, err := json.Marshal(r.Members)
		if err != nil {
			return nil, fmt.Errorf("encode members: %w", err)
		}
		m.Notes["members"] = string(b)
	}
	// The heads that hold a comment flag at the threshold a moderator
	// uses on a neutral post, so that score and moderate agree.
	oof.Neutral, oof.Sensitive = ChooseThresholds(m, oof)
	for l, name := range Labels {
		if v, ok := oof.Neutral[name]; ok && v <= 1 {
			m.Thresholds[l] = v
		}
	}
	reports := oof.report(m.Thresholds, "all", nil)
	for _, b := range Benchmarks {
		l := slices.Index(Labels, b.Label)
		scores, gold := oof.scores(l, b.keep(oof))
		if len(gold) == 0 {
			continue
		}
		th, _ := linear.BestThreshold(scores, gold, "macro-f1")
		m.Notes["threshold/"+b.Name] = strconv.FormatFloat(th, 'g', 6, 64)
		reports = append(reports, LabelReport{Label: b.Label, Set: b.Name, Threshold: th, Binary: metrics.Compute(scores, gold, th)})
	}
	out.Reports = reports
	// Round-trip through the file format so that what is returned is
	// exactly what ships: quantised weights.
	b, err := m.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if out.Model, err = linear.Decode(b); err != nil {
		return nil, err
	}
	return out, nil
}

// keep returns the filter of the benchmark's training texts in o.
func (b Benchmark) keep(o *OOF) func(i int) bool {
	return func(i int) bool { return o.Src[i] == b.Source && (b.Keep == nil || b.Keep(o.Y[i])) }
}

// scores returns label l's out-of-fold probabilities and labels on the
// texts keep accepts, skipping unknown labels.
func (o *OOF) scores(l int, keep func(i int) bool) ([]float64, []int8) {
	var scores []float64
	var gold []int8
	for i := range o.Y {
		if o.Y[i][l] != u && keep(i) {
			scores = append(scores, o.Probs[i][l])
			gold = append(gold, o.Y[i][l])
		}
	}
	return scores, gold
}

// report returns per-label figures at thresholds on the calibrating texts.
func (o *OOF) report(thresholds []float64, set string, keep func(i int) bool) []LabelReport {
	var out []LabelReport
	for l, name := range Labels {
		scores, gold := o.scores(l, func(i int) bool { return o.Calib[i] && (keep == nil || keep(i)) })
		if len(gold) > 0 {
			out = append(out, LabelReport{Label: name, Set: set, Threshold: thresholds[l], Binary: metrics.Compute(scores, gold, thresholds[l])})
		}
	}
	return out
}

// Quantile returns the q-quantile (0 to 1) of label l's out-of-fold
// probabilities on the texts keep accepts: the threshold above which a
// share 1-q of them lies.
func (o *OOF) Quantile(l int, q float64, keep func(i int) bool) float64 {
	var ps []float64
	for i := range o.Probs {
		if keep(i) {
			ps = append(ps, o.Probs[i][l])
		}
	}
	if len(ps) == 0 {
		return 1
	}
	sort.Float64s(ps)
	return ps[min(len(ps)-1, int(q*float64(len(ps))))]
}

// fit trains the recipe's bag of models on examples (whose sources are
// srcs) and averages them, then averages the members into their heads.
func (r Recipe) fit(examples []linear.Example, srcs []string, progress linear.Progress) (*linear.Model, error) {
	bags := max(r.Bags, 1)
	models := make([]*linear.Model, bags)
	for k := range bags {
		tc := r.Train
		tc.Seed += uint64(k)
		data := examples
		if bags > 1 {
			data = resample(examples, tc.Seed)
		}
		var err error
		if models[k], err = linear.Train(data, Labels, r.Features, tc, progress); err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
	}
	m := linear.Average(models...)
	m.Train = r.Train
	m.DataDigest = linear.Digest(examples)
	if err := r.addMembers(m, examples, srcs); err != nil {
		return nil, err
	}
	return m, nil
}

// addMembers trains each member on the examples (whose sources are srcs)
// that carry its head and averages it into that head of m.
func (r Recipe) addMembers(m *linear.Model, examples []linear.Example, srcs []string) error {
	L := len(m.Labels)
	count := make([]float32, L)
	for _, mb := range r.Members {
		l := slices.Index(m.Labels, mb.Head)
		if l < 0 {
			return fmt.Errorf("member of unknown head %q", mb.Head)
		}
		var data []linear.Example
		for i, ex := range examples {
			if ex.Y[l] != linear.Unknown && (len(mb.Sources) == 0 || slices.Contains(mb.Sources, srcs[i])) {
				data = append(data, linear.Example{Buckets: ex.Buckets, Y: []int8{ex.Y[l]}, Weight: ex.Weight})
			}
		}
		one, err := linear.Train(data, []string{mb.Head}, r.Features, mb.Train, nil)
		if err != nil {
			return fmt.Errorf("train member of %s: %w", mb.Head, err)
		}
		if count[l] == 0 {
			count[l] = 1
		}
		// Running mean of the head and its members so far.
		n := count[l] + 1
		for b := range int(r.Features.Buckets) {
			w := &m.W[b*L+l]
			*w += (one.W[b] - *w) / n
		}
		m.Bias[l] += (one.Bias[0] - m.Bias[l]) / n
		count[l] = n
	}
	return nil
}

// resample draws a bootstrap sample of the examples.
func resample(ex []linear.Example, seed uint64) []linear.Example {
	rng := rand.New(rand.NewPCG(seed, 0xba9))
	out := make([]linear.Example, len(ex))
	for i := range out {
		out[i] = ex[rng.IntN(len(ex))]
	}
	return out
}

// Examples turns texts into training examples.
func Examples(ex *features.Extractor, texts []dataset.Text) []linear.Example {
	out := make([]linear.Example, len(texts))
	var feats []features.Feature
	for i, t := range texts {
		feats, _ = ex.Extract(feats[:0], t.Text)
		b := make([]uint32, len(feats))
		for j, f := range feats {
			b[j] = f.Bucket
		}
		out[i] = linear.Example{Buckets: b, Y: t.Y}
	}
	return out
}

// Evaluate returns per-label figures of c on texts (labelled over c's
// labels), skipping texts whose label is Unknown.
func Evaluate(c *Classifier, texts []dataset.Text) []LabelReport {
	L := len(c.Labels())
	probs := make([]float64, L)
	scores := make([][]float64, L)
	gold := make([][]int8, L)
	s := c.pool.Get().(*scratch)
	defer c.pool.Put(s)
	for _, t := range texts {
		c.score(s, t.Text, probs)
		for l := range L {
			if y := t.Y[l]; y != linear.Unknown {
				scores[l] = append(scores[l], probs[l])
				gold[l] = append(gold[l], y)
			}
		}
	}
	th := c.model.Thresholds
	var out []LabelReport
	for l := range L {
		if len(gold[l]) == 0 {
			continue
		}
		out = append(out, LabelReport{Label: c.Labels()[l], Threshold: th[l], Binary: metrics.Compute(scores[l], gold[l], th[l])})
	}
	return out
}

// Remap returns texts with their labels moved from the label set from to
// the label set to by name; a label of to that from lacks is Unknown.
func Remap(texts []dataset.Text, from, to []string) []dataset.Text {
	out := make([]dataset.Text, len(texts))
	for i, t := range texts {
		y := make([]int8, len(to))
		for l, name := range to {
			y[l] = u
			if k := slices.Index(from, name); k >= 0 {
				y[l] = t.Y[k]
			}
		}
		t.Y = y
		out[i] = t
	}
	return out
}

// fitNet trains the recipe's network on examples, on every head, and
// returns it as its file gives it back (int8 embeddings), so that the
// out-of-fold scores are those of what ships.
func (r Recipe) fitNet(examples []linear.Example) (*neural.Model, error) {
	net, err := neural.Train(examples, Labels, r.Features, r.Net.Config, nil)
	if err != nil {
		return nil, fmt.Errorf("train network: %w", err)
	}
	return roundTrip(net)
}

// roundTrip encodes and decodes a network.
func roundTrip(net *neural.Model) (*neural.Model, error) {
	b, err := net.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return neural.Decode(b)
}

// blendShares are the candidate shares of the network in a blended head's
// calibrated log-odds. The grid is coarse on purpose: finer steps would
// fit the noise of the out-of-fold figures they are chosen on. A share of
// 1 (the network alone) is left out: it would drop the linear weights that
// the head's evidence comes from.
var blendShares = []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}

// Blend says how the network was blended into one head.
type Blend struct {
	// Head is the blended head and Benchmark the training part whose
	// out-of-fold macro-F1 chose its share.
	Head, Benchmark string
	// Share is the network's chosen share of the head's calibrated
	// log-odds, and Weight the factor of its margin that the head's linear
	// margin takes in.
	Share, Weight float64
	// MacroF1 and ROCAUC hold the out-of-fold figures on the benchmark's
	// training part at each share of blendShares.
	MacroF1, ROCAUC []float64
}

// blend trains the network on all examples and, for each head of the
// recipe's net, chooses the network's share on the out-of-fold scores of
// the head's benchmark (the first of Benchmarks with that label) and adds
// the network's out-of-fold margins at that share into margins. Shares are
// taken on the calibrated log-odds of the linear and the network's
// out-of-fold margins, each Platt-scaled on the calibrating texts, and
// turned into a weight on the raw network margin; the calibration that
// follows scales the sum. It returns the network with the outputs of the
// heads whose share is above zero, or nil when there is none, and records
// the network file's digest in m's notes.
func (r Recipe) blend(all []linear.Example, m *linear.Model, margins, netZ [][]float64, calibY [][]int8, oof *OOF) (*neural.Model, []Blend, error) {
	var blends []Blend
	var keep []string
	notes := map[string]string{}
	for _, h := range r.Net.Heads {
		l := slices.Index(Labels, h)
		bi := slices.IndexFunc(Benchmarks, func(b Benchmark) bool { return b.Label == h })
		if l < 0 || bi < 0 {
			return nil, nil, fmt.Errorf("network head %q has no benchmark", h)
		}
		bench := Benchmarks[bi]
		aL, bL := platt(margins, calibY, l)
		aN, bN := platt(netZ, calibY, l)
		in := bench.keep(oof)
		bl := Blend{Head: h, Benchmark: bench.Name}
		best := -1.0
		for _, w := range blendShares {
			var scores []float64
			var gold []int8
			for i := range margins {
				if y := oof.Y[i][l]; y != u && in(i) {
					scores = append(scores, (1-w)*(aL*margins[i][l]+bL)+w*(aN*netZ[i][l]+bN))
					gold = append(gold, y)
				}
			}
			th, _ := linear.BestThreshold(scores, gold, "macro-f1")
			fig := metrics.Compute(scores, gold, th)
			bl.MacroF1 = append(bl.MacroF1, fig.MacroF1)
			bl.ROCAUC = append(bl.ROCAUC, fig.ROCAUC)
			// Strictly better only, so that a tie keeps the smaller share.
			if fig.MacroF1 > best {
				best, bl.Share = fig.MacroF1, w
			}
		}
		if bl.Share > 0 && aL > 0 {
			bl.Weight = bl.Share * aN / ((1 - bl.Share) * aL)
			for i := range margins {
				margins[i][l] += bl.Weight * netZ[i][l]
			}
			keep = append(keep, h)
			notes["blend/"+h] = strconv.FormatFloat(bl.Weight, 'g', -1, 64)
		}
		blends = append(blends, bl)
	}
	if len(keep) == 0 {
		return nil, blends, nil
	}
	net, err := r.fitNet(all)
	if err != nil {
		return nil, nil, err
	}
	if net, err = net.Keep(keep...); err != nil {
		return nil, nil, err
	}
	net.Notes = notes
	b, err := net.MarshalBinary()
	if err != nil {
		return nil, nil, err
	}
	m.Notes["net"] = netDigest(b)
	net, err = neural.Decode(b)
	return net, blends, err
}

// platt fits p = sigmoid(a*z+b) to column l of margins over the texts whose
// label in y is known.
func platt(margins [][]float64, y [][]int8, l int) (a, b float64) {
	var xs [][]float64
	var t []float64
	for i := range margins {
		if y[i][l] != u {
			xs = append(xs, []float64{margins[i][l]})
			t = append(t, float64(y[i][l]))
		}
	}
	beta := metrics.FitLogistic(xs, t, 0, 50)
	return beta[0], beta[1]
}
