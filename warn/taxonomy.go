package warn

// TaxonomyVersion is the version of the topic taxonomy. It changes when a
// topic is added, removed or redefined, so that stored warnings can say
// which taxonomy they follow.
const TaxonomyVersion = "1"

// TopicInfo describes one topic of the taxonomy.
type TopicInfo struct {
	// ID is the stable identifier used in JSON, configuration and the
	// lexicon.
	ID string `json:"id"`
	// Name is the reader-facing name, written to fit "mentions of ...".
	Name string `json:"name"`
	// Definition says in one line what the topic covers.
	Definition string `json:"definition"`
	// Group is the Webis coarse group the topic belongs to.
	Group string `json:"group"`
	// Webis lists the Webis fine-grained labels the topic maps to.
	Webis []string `json:"webis"`
	// Passages lists the warning names of the Webis passage set that the
	// topic's learned model is trained on, if any.
	Passages []string `json:"passages,omitempty"`
}

// Taxonomy lists the topics in order of severity: when two topics have the
// same prominence, the warning line names the earlier one first.
var Taxonomy = []TopicInfo{
	{ID: "pregnancy-loss", Name: "pregnancy loss", Definition: "Miscarriage, stillbirth and the death of a baby before or at birth.", Group: "pregnancy", Webis: []string{"miscarriage"}},
	{ID: "child-death", Name: "child death", Definition: "The death of a baby, child or teenager.", Group: "aggression", Webis: []string{"death"}},
	{ID: "suicide", Name: "suicide", Definition: "Suicide, suicidal thoughts and attempts.", Group: "mental-health", Webis: []string{"suicide"}},
	{ID: "self-harm", Name: "self-harm", Definition: "Deliberately hurting oneself, such as cutting or burning.", Group: "mental-health", Webis: []string{"self-harm"}},
	{ID: "sexual-violence", Name: "sexual violence", Definition: "Rape, sexual assault, sexual harassment and coercion.", Group: "abuse", Webis: []string{"sexual-abuse"}},
	{ID: "child-abuse", Name: "child abuse", Definition: "Physical, sexual or emotional abuse or neglect of children.", Group: "abuse", Webis: []string{"child-abuse"}},
	{ID: "incest", Name: "incest", Definition: "Sexual relations between close relatives.", Group: "sexual-content", Webis: []string{"incest"}},
	{ID: "domestic-abuse", Name: "domestic abuse", Definition: "Abuse by a partner or family member, including coercive control.", Group: "abuse", Webis: []string{"abuse"}},
	{ID: "kidnapping", Name: "kidnapping", Definition: "Abduction, kidnapping and holding people captive.", Group: "aggression", Webis: []string{"kidnapping"}, Passages: []string{"abduction"}},
	{ID: "war", Name: "war", Definition: "War, armed conflict, terrorism and other violence by groups.", Group: "aggression", Webis: []string{"collective-violence"}, Passages: []string{"war"}},
	{ID: "violence", Name: "violence", Definition: "Physical violence between people: assault, shootings, stabbings, murder.", Group: "aggression", Webis: []string{"violence"}, Passages: []string{"violence"}},
	{ID: "death", Name: "death", Definition: "Death and dying, including bereavement news and fatal accidents.", Group: "aggression", Webis: []string{"death"}, Passages: []string{"death"}},
	{ID: "abortion", Name: "abortion", Definition: "Abortion and the termination of a pregnancy.", Group: "pregnancy", Webis: []string{"abortion"}},
	{ID: "childbirth", Name: "childbirth", Definition: "Labour, giving birth and its complications.", Group: "pregnancy", Webis: []string{"childbirth", "other-pregnancy"}},
	{ID: "grief", Name: "grief", Definition: "Mourning and living with the loss of someone.", Group: "mental-health", Webis: []string{"death", "other-mental-health"}},
	{ID: "eating-disorders", Name: "eating disorders", Definition: "Anorexia, bulimia, binge eating and disordered eating.", Group: "mental-health", Webis: []string{"dysmorphia"}},
	{ID: "mental-illness", Name: "mental illness", Definition: "Mental illness and its treatment: depression, psychosis, trauma, anxiety disorders.", Group: "mental-health", Webis: []string{"mental-illness", "other-mental-health"}},
	{ID: "drug-use", Name: "drug use", Definition: "Taking drugs, misusing alcohol, addiction and overdose.", Group: "mental-health", Webis: []string{"addiction"}},
	{ID: "animal-abuse", Name: "animal cruelty", Definition: "Cruelty to animals and their suffering at people's hands.", Group: "abuse", Webis: []string{"animal-abuse"}},
	{ID: "blood-gore", Name: "blood and gore", Definition: "Graphic descriptions of blood, wounds and bodily injury.", Group: "medical", Webis: []string{"blood-gore"}},
	{ID: "medical-procedures", Name: "medical procedures", Definition: "Surgery, injections and other invasive medical treatment.", Group: "medical", Webis: []string{"procedures", "other-medical"}},
	{ID: "racism", Name: "racism", Definition: "Hostility, slurs or discrimination based on race or ethnicity.", Group: "discrimination", Webis: []string{"racism"}, Passages: []string{"racism"}},
	{ID: "sexism", Name: "sexism", Definition: "Misogyny and discrimination based on sex or gender.", Group: "discrimination", Webis: []string{"sexism"}, Passages: []string{"misogyny"}},
	{ID: "homophobia", Name: "homophobia", Definition: "Hostility or discrimination against gay, lesbian and bisexual people.", Group: "discrimination", Webis: []string{"homophobia"}, Passages: []string{"homophobia"}},
	{ID: "transphobia", Name: "transphobia", Definition: "Hostility or discrimination against trans and non-binary people.", Group: "discrimination", Webis: []string{"transphobia"}},
	{ID: "ableism", Name: "ableism", Definition: "Hostility or discrimination against disabled people.", Group: "discrimination", Webis: []string{"ableism"}, Passages: []string{"ableism"}},
	{ID: "religious-discrimination", Name: "religious discrimination", Definition: "Hostility or discrimination based on religion, such as antisemitism or Islamophobia.", Group: "discrimination", Webis: []string{"religious-discrimination"}},
	{ID: "classism", Name: "classism", Definition: "Contempt or discrimination based on class or poverty.", Group: "discrimination", Webis: []string{"classism"}},
	{ID: "body-shaming", Name: "body shaming", Definition: "Mocking or shaming people for their weight or looks.", Group: "discrimination", Webis: []string{"body-shaming", "dysmorphia"}},
	{ID: "abusive-language", Name: "abusive language", Definition: "Slurs, insults and threats aimed at people.", Group: "abuse", Webis: []string{"abusive-language"}},
	{ID: "sexual-content", Name: "sexual content", Definition: "Explicit descriptions of sex.", Group: "sexual-content", Webis: []string{"pornography", "other-sexual"}},
}

// topicIndex maps a topic id to its position in Taxonomy.
var topicIndex = func() map[string]int {
	m := make(map[string]int, len(Taxonomy))
	for i, t := range Taxonomy {
		m[t.ID] = i
	}
	return m
}()

// Lookup returns the taxonomy entry of a topic id.
func Lookup(id string) (TopicInfo, bool) {
	i, ok := topicIndex[id]
	if !ok {
		return TopicInfo{}, false
	}
	return Taxonomy[i], true
}
