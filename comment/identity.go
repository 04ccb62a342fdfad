package comment

import "fmt"

// Identity statements for training: neutral and warm sentences that name
// identities, added as negatives so that the model does not learn an
// identity word as an attack. The fairness test uses different sentences
// (see identity_test.go), so it measures generalisation, not recall of these.

var identityGroups = []string{
	"women", "gay people", "gay men", "lesbians", "trans people", "trans women",
	"Black people", "Black women", "Muslims", "Jewish people", "Jews",
	"disabled people", "wheelchair users", "immigrants", "refugees", "Asian people",
	"Latino families", "my gay son", "my Muslim neighbour", "the Black community",
}

var identityTemplates = []string{
	"%s deserve the same respect as everyone else.",
	"I am proud to work alongside %s.",
	"Our town welcomes %s.",
	"The museum has a new exhibit about the history of %s.",
	"%s have every right to be here.",
	"My best friends include %s.",
	"We raised money for a charity run by %s.",
	"The panel on Tuesday was led by %s.",
	"Nobody should insult %s, ever.",
	"Calling %s names is not okay.",
}

// identityStatements expands every template with every group.
func identityStatements() []string {
	out := make([]string, 0, len(identityGroups)*len(identityTemplates))
	for _, t := range identityTemplates {
		for _, g := range identityGroups {
			out = append(out, fmt.Sprintf(t, g))
		}
	}
	return out
}
