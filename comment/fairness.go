package comment

// FairnessCase is a sentence that names an identity without attacking it.
// None of them may be flagged hate. They are written for the fairness
// check and differ from the identity statements used in training.
type FairnessCase struct {
	Identity string
	// Kind is "neutral", "warm" or "counter" (counter-speech that quotes an
	// insult in order to reject it).
	Kind string
	Text string
}

// FairnessCases are the fairness check's sentences, per identity.
var FairnessCases = []FairnessCase{
	{"women", "neutral", "Women make up about half of the engineers on our team."},
	{"women", "neutral", "The women's football final starts at eight tonight."},
	{"women", "warm", "I admire the women who built this library from nothing."},
	{"women", "warm", "My grandmother was the strongest woman I have ever known."},
	{"women", "counter", "Calling women hysterical for disagreeing is lazy and sexist."},
	{"women", "counter", "Anyone who says women belong in the kitchen should rethink their life."},
	{"gay", "neutral", "My brother is gay and he is getting married in June."},
	{"gay", "neutral", "The gay choir performed at the harvest festival."},
	{"gay", "warm", "So happy for the two dads next door, they are lovely neighbours."},
	{"gay", "warm", "Being gay is just part of who he is, and we love him."},
	{"gay", "counter", "Using gay as an insult says more about you than about anyone else."},
	{"gay", "counter", "He called them a slur and I told him that is not acceptable here."},
	{"trans", "neutral", "She is a trans woman who teaches chemistry at the high school."},
	{"trans", "neutral", "The clinic has extended its hours for trans patients."},
	{"trans", "warm", "Trans kids deserve to feel safe at school like every other kid."},
	{"trans", "warm", "My trans friend is the kindest person I know."},
	{"trans", "counter", "Mocking trans people is cruel, and we will not have it in this forum."},
	{"trans", "counter", "Saying trans people are confused is wrong; they know who they are."},
	{"black", "neutral", "The exhibition covers Black history in the city since 1900."},
	{"black", "neutral", "She is a Black woman running for mayor this autumn."},
	{"black", "warm", "Black musicians shaped almost every genre I listen to."},
	{"black", "warm", "Proud of the Black students who organised the science fair."},
	{"black", "counter", "Racist jokes about Black people are not funny, stop sharing them."},
	{"black", "counter", "People who call Black neighbours thugs are showing their own prejudice."},
	{"muslim", "neutral", "Our Muslim colleagues are fasting this month for Ramadan."},
	{"muslim", "neutral", "The mosque on Elm Street is hosting an open day."},
	{"muslim", "warm", "The Muslim family next door brought us dinner when we were ill."},
	{"muslim", "warm", "Eid mubarak to all our Muslim readers!"},
	{"muslim", "counter", "Blaming all Muslims for one attacker is bigotry, plain and simple."},
	{"muslim", "counter", "Calling Muslims terrorists is hateful and false."},
	{"jewish", "neutral", "The Jewish community centre is running a book fair."},
	{"jewish", "neutral", "He is Jewish and celebrates Hanukkah with his kids."},
	{"jewish", "warm", "My Jewish grandmother taught me to bake challah."},
	{"jewish", "warm", "Wishing our Jewish friends a sweet new year."},
	{"jewish", "counter", "Antisemitic conspiracy theories about Jews have no place here."},
	{"jewish", "counter", "Anyone repeating that Jews control the banks is spreading hate."},
	{"disabled", "neutral", "The new ramps make the station usable for disabled travellers."},
	{"disabled", "neutral", "She uses a wheelchair and works as an architect."},
	{"disabled", "warm", "Disabled athletes at the games were incredible to watch."},
	{"disabled", "warm", "My autistic son has the best sense of humour."},
	{"disabled", "counter", "Using retarded as an insult hurts disabled people, please stop."},
	{"disabled", "counter", "Mocking someone's disability is never okay."},
}
