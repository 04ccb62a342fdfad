package comment

import "fmt"

// Identity statements for training: neutral and warm sentences that name
// identities, added as negatives so that the model does not learn an
// identity word as an attack. The fairness check uses different sentences
// (FairnessCases in fairness.go, checked by TestFairness), so it measures
// generalisation, not recall of these.

var identityGroups = []string{
	"women", "gay people", "gay men", "lesbians", "trans people", "trans women",
	"Black people", "Black women", "Muslims", "Jewish people", "Jews",
	"disabled people", "wheelchair users", "immigrants", "refugees", "Asian people",
	"Latino families", "my gay son", "my Muslim neighbour", "the Black community",
	"transgender students", "Jewish families", "autistic adults", "blind people",
	"Black artists", "queer teenagers", "Muslim women", "lesbian couples", "Mexican workers",
	"Arab students", "deaf children", "bisexual people", "Sikh families", "Hindu neighbours",
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
	"I grew up with %s and learned so much from them.",
	"Happy pride to all the %s in our readership.",
	"The report looks at housing costs for %s.",
	"A documentary about %s won the award last night.",
	"Thank you to the %s who volunteered at the shelter.",
	"Jokes that mock %s are cruel and I will not laugh at them.",
	"Saying %s are dangerous is a lie and a smear.",
	"Anyone who insults %s should be ashamed of themselves.",
	"Slurs against %s are hateful and have no place here.",
	"Stop spreading hate about %s, it hurts real people.",
	"The city council met with %s to discuss the new park.",
	"%s are our friends, colleagues and family.",
	"Many %s live in this neighbourhood.",
	"Support for %s has grown over the last decade.",
	"The school celebrated the achievements of %s this week.",
	"It is wrong to blame %s for the actions of one person.",
	"Treating %s as less than human is bigotry.",
	"Those trolls attacking %s do not speak for us.",
	"Respect %s. It is not hard.",
	"Books written by %s are on the reading list this term.",
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
