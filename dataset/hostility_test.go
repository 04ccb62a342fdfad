package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestEDOSFixture(t *testing.T) {
	const body = `rewire_id,text,label_sexist,label_category,label_vector,split
a-1,"Women, ""as usual"".",sexist,2. derogation,2.1 descriptive attacks,train
a-2,I will find her.,sexist,"1. threats, plans to harm and incitement",1.1 threats of harm,test
a-3,Nice day.,not sexist,none,none,dev
`
	got, err := EDOS(writeTemp(t, "e.csv", body))
	if err != nil {
		t.Fatal(err)
	}
	want := []EDOSPost{
		{Text{ID: "a-1", Text: `Women, "as usual".`, Y: []int8{1, 0}}, "train"},
		{Text{ID: "a-2", Text: "I will find her.", Y: []int8{1, 1}}, "test"},
		{Text{ID: "a-3", Text: "Nice day.", Y: []int8{0, 0}}, "dev"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{
		"rewire_id,text,label_sexist,label_category,split\na,b,maybe,none,train\n",
		"rewire_id,text,label_sexist,label_category,split\na,b,sexist,none,val\n",
		"rewire_id,text\na,b\n",
	} {
		if _, err := EDOS(writeTemp(t, "e.csv", bad)); !errors.Is(err, ErrFormat) {
			t.Errorf("%q: err = %v, want ErrFormat", bad, err)
		}
	}
}

func TestImplicitHateFixture(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("implicit_hate_v1_stg1_posts.tsv", "post\tclass\n\"they will pay\"\timplicit_hate\nthey are lazy\timplicit_hate\nno idea\timplicit_hate\nslur here\texplicit_hate\n\" nice \"\" quote \"\tnot_hate\n")
	write("implicit_hate_v1_stg2_posts.tsv", "post\timplicit_class\textra_implicit_class\nthey will pay\tthreatening\t\nthey are lazy\tstereotypical\t\n")
	got, err := ImplicitHate(dir)
	if err != nil {
		t.Fatal(err)
	}
	u := Unknown
	wantText := []string{"they will pay", "they are lazy", "no idea", "slur here", `nice " quote`}
	wantY := [][]int8{{1, 0, 1}, {1, 0, 0}, {1, 0, u}, {1, 1, u}, {0, 0, 0}}
	if len(got) != len(wantY) {
		t.Fatalf("%d texts, want %d", len(got), len(wantY))
	}
	for i, x := range got {
		if x.Text != wantText[i] || !reflect.DeepEqual(x.Y, wantY[i]) {
			t.Errorf("text %d = %q %v, want %q %v", i, x.Text, x.Y, wantText[i], wantY[i])
		}
	}
	write("implicit_hate_v1_stg1_posts.tsv", "post\tclass\nx\tmaybe\n")
	if _, err := ImplicitHate(dir); !errors.Is(err, ErrFormat) {
		t.Errorf("bad class: err = %v, want ErrFormat", err)
	}
}

func TestStormfrontFixture(t *testing.T) {
	const body = `file_id,user_id,subforum_id,num_contexts,label,sampled_split,text
10_1,1,1,0,hate,sampled_train,"They are animals , all of them ."
10_2,1,1,0,relation,,And they know it .
11_1,2,1,0,idk/skip,,Hola
12_1,3,1,0,noHate,,Nice weather today .
`
	got, err := Stormfront(writeTemp(t, "s.csv", body))
	if err != nil {
		t.Fatal(err)
	}
	want := []Text{
		{ID: "stormfront-10_1", Text: "They are animals , all of them .", Y: []int8{1}, Group: "stormfront-10"},
		{ID: "stormfront-10_2", Text: "And they know it .", Y: []int8{Unknown}, Group: "stormfront-10"},
		{ID: "stormfront-12_1", Text: "Nice weather today .", Y: []int8{0}, Group: "stormfront-12"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if _, err := Stormfront(writeTemp(t, "s.csv", "file_id,label,text\n1_1,spam,x\n")); !errors.Is(err, ErrFormat) {
		t.Errorf("bad label: err = %v, want ErrFormat", err)
	}
}

func TestToxicSpansSemEvalFixture(t *testing.T) {
	const body = "spans,text\n\"[0, 1, 2, 3, 4, 10, 11, 12, 13]\",idiot – a fool\n[],fine\n\"[2, 3]\",é ok\n"
	got, err := ToxicSpansSemEval(writeTemp(t, "t.csv", body))
	if err != nil {
		t.Fatal(err)
	}
	// "–" is one character of three bytes, "é" one of two.
	want := []SpanText{
		{ID: "tsd-2", Text: "idiot – a fool", Spans: []ByteSpan{{0, 5}, {12, 16}}},
		{ID: "tsd-3", Text: "fine"},
		{ID: "tsd-4", Text: "é ok", Spans: []ByteSpan{{3, 5}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if _, err := ToxicSpansSemEval(writeTemp(t, "t.csv", "spans,text\n\"[x]\",a\n")); !errors.Is(err, ErrFormat) {
		t.Errorf("bad offset: err = %v, want ErrFormat", err)
	}
}

func TestToxicSpansACLFixture(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"comments.csv":    "comment_id,comment_text\n1,you idiot I will hurt you\n2,\"calm, fine\"\n",
		"annotations.csv": "annotation,comment_id,worker,country,all toxic,not toxic\n0,1,7,USA,False,False\n1,1,8,USA,False,False\n2,1,9,USA,False,False\n3,2,7,USA,False,True\n",
		"spans.csv":       "annotation,type,start,end\n0,Insult,4,9\n1,Insu,4,9\n1,Threat,10,25\n0,Insult,0,3\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ToxicSpansACL(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Text{
		{ID: "civil-1", Text: "you idiot I will hurt you", Y: []int8{1, Unknown, 0, 0, 0}},
		{ID: "civil-2", Text: "calm, fine", Y: []int8{0, 0, 0, 0, 0}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestHostilityReal(t *testing.T) {
	edos, err := EDOS(sharedData(t, "edos/edos_labelled_aggregated.csv"))
	if err != nil {
		t.Fatal(err)
	}
	split := map[string]int{}
	for _, p := range edos {
		split[p.Split]++
	}
	if split["train"] != 13999 || split["dev"] != 2000 || split["test"] != 4000 {
		t.Errorf("EDOS splits %v", split)
	}
	ih, err := ImplicitHate(sharedData(t, "implicit-hate"))
	if err != nil {
		t.Fatal(err)
	}
	test, threat := 0, 0
	for _, x := range ih {
		if HashTest(x.ID) {
			test++
		}
		if x.Y[2] == 1 {
			threat++
		}
	}
	if len(ih) != 21465 || threat < 500 || test < len(ih)/6 || test > len(ih)/4 {
		t.Errorf("implicit hate: %d texts, %d threatening, %d in test", len(ih), threat, test)
	}
	sf, err := Stormfront(sharedData(t, "stormfront/stormfront_sentences.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sf) != 10943-73 {
		t.Errorf("stormfront: %d sentences", len(sf))
	}
	acl, err := ToxicSpansACL(sharedData(t, "toxic-spans/acl2022"))
	if err != nil {
		t.Fatal(err)
	}
	pos := make([]int, len(ToxicSpanTypes))
	for _, x := range acl {
		for l, y := range x.Y {
			if y == 1 {
				pos[l]++
			}
		}
	}
	for l, n := range pos {
		if n < 100 {
			t.Errorf("toxic spans ACL: %d comments of type %s", n, ToxicSpanTypes[l])
		}
	}
	for _, name := range []string{"tsd_train.csv", "tsd_trial.csv", "tsd_test.csv"} {
		ts, err := ToxicSpansSemEval(sharedData(t, "toxic-spans/semeval2021/"+name))
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ts {
			for _, s := range x.Spans {
				if s.Start >= s.End || s.End > len(x.Text) {
					t.Fatalf("%s %s: span %v outside text of %d bytes", name, x.ID, s, len(x.Text))
				}
			}
		}
	}
}
