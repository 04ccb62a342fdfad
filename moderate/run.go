package moderate

import (
	"fmt"
	"io"
)

// EvalTasks are the evaluation tasks of RunEval: "moderate", the heads and
// decisions on the public test splits and the team-written test parts
// (EvaluateModeration), and "rules", each category of the phrase layer
// against public training data (AuditPhrases).
var EvalTasks = map[string]bool{"moderate": true, "rules": true}

// RunEval runs the evaluation task of EvalTasks on m over the shared data
// folder data and writes its report to w. team and shTeam are the
// team-written comment and self-harm test files of "moderate" (empty
// skips one).
func RunEval(w io.Writer, m *Moderator, task, data, team, shTeam string) error {
	switch task {
	case "moderate":
		r, err := EvaluateModeration(m, data, team, shTeam)
		if err != nil {
			return err
		}
		return r.Write(w)
	case "rules":
		audits, err := AuditPhrases(m.Classifier(), nil, m.Policy(), data)
		if err != nil {
			return err
		}
		return WriteAudit(w, audits)
	}
	return fmt.Errorf("unknown moderation task %q (want moderate or rules)", task)
}
