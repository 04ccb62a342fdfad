package comment

import (
	"math"
	"slices"

	"github.com/forewarn/forewarn/linear"
)

// Targets of the thresholds ChooseThresholds picks, as shares of the kind,
// sad or grieving GoEmotions training comments (out of fold) that may be
// held or sent to support. They sit below the acceptance bars (3% held,
// 1% support on the GoEmotions test comments) to leave room for the
// difference between training and test.
const (
	// TargetKindHeldSensitive bounds the kind comments held under a
	// sensitive post; each of the four hostility heads gets a quarter.
	TargetKindHeldSensitive = 0.02
	// TargetKindHeldNeutral bounds them under any other post.
	TargetKindHeldNeutral = 0.01
	// TargetKindSupport bounds the kind comments sent to support.
	TargetKindSupport = 0.004
)

// HoldHeads are the comment model's heads that hold a comment.
var HoldHeads = []string{"insult", "hate", "sexism", "threat"}

// ChooseThresholds picks a moderation policy's thresholds, for neutral and
// for sensitive posts, from a training's out-of-fold scores. For each hostility head, the threshold is the
// model's own (the one with the best out-of-fold macro-F1 over the
// sources that carry the head), raised where needed so that the head
// alone holds at most a quarter of the target share of kind comments; the
// sensitive threshold follows the looser target, so a sensitive post holds
// more. self_harm follows TargetKindSupport the same way on both kinds of
// post. Offensive, targeted and profanity never hold by themselves (kind
// swearing is published), so they are off (above 1).
func ChooseThresholds(m *linear.Model, o *OOF) (neutral, sensitive map[string]float64) {
	th := struct{ Neutral, Sensitive map[string]float64 }{map[string]float64{}, map[string]float64{}}
	kind := func(i int) bool { return o.Kind[i] }
	round := func(v float64) float64 { return math.Ceil(v*1000) / 1000 }
	for _, h := range HoldHeads {
		l := slices.Index(m.Labels, h)
		th.Sensitive[h] = round(max(m.Thresholds[l], o.Quantile(l, 1-TargetKindHeldSensitive/4, kind)))
		th.Neutral[h] = round(max(th.Sensitive[h], m.Thresholds[l], o.Quantile(l, 1-TargetKindHeldNeutral/4, kind)))
	}
	l := slices.Index(m.Labels, "self_harm")
	sh := round(max(m.Thresholds[l], o.Quantile(l, 1-TargetKindSupport, kind)))
	th.Neutral["self_harm"], th.Sensitive["self_harm"] = sh, sh
	for _, h := range []string{"offensive", "targeted", "profanity"} {
		th.Neutral[h], th.Sensitive[h] = 1.01, 1.01
	}
	return th.Neutral, th.Sensitive
}
