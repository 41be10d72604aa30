package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"digest/generator/htmlpage"
	"digest/generator/htmlpage/external"
)

const page = `<html lang="en"><head><meta property="og:site_name" content="The Herald"></head><body><article>
<p>Delegations from Russia and Ukraine met in Istanbul for their first direct talks in three years, at the Dolmabahce palace on the shore of the Bosphorus.</p>
<p>The meeting lasted under two hours. Both sides agreed to a prisoner exchange of a thousand prisoners each in the coming days, the largest swap of the war.</p>
</article></body></html>`

// TestOnePage checks the one-page mode: the page as JSON, a refused page
// with exit 1 and its reason, bad usage with exit 2.
func TestOnePage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"--url", "https://herald.example/a"}, strings.NewReader(page), &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %q; want 0", code, errb.String())
	}
	var p htmlpage.Page
	if err := json.Unmarshal(out.Bytes(), &p); err != nil || len(p.Paragraphs) != 2 || p.Meta.Outlet != "The Herald" {
		t.Errorf("got %+v, %v; want two paragraphs from The Herald", p, err)
	}
	for _, tc := range []struct {
		args  []string
		in    string
		code  int
		error string
	}{
		{nil, " \n", 1, "digest-html: page is empty\n"},
		{[]string{"stray"}, page, 2, "usage: digest-html"},
	} {
		out.Reset()
		errb.Reset()
		code := run(tc.args, strings.NewReader(tc.in), &out, &errb)
		if code != tc.code || !strings.HasPrefix(errb.String(), tc.error) || out.Len() != 0 {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want exit %d, stderr starting %q, no stdout", tc.args, code, errb.String(), out.String(), tc.code, tc.error)
		}
	}
}

// TestServe checks that --serve answers each request in order, a refused
// page with its reason, and ends with its input.
func TestServe(t *testing.T) {
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	enc.Encode(external.Request{URL: "https://herald.example/a", Page: []byte(page)})
	enc.Encode(external.Request{Page: []byte(" ")})
	var out, errb bytes.Buffer
	if code := run([]string{"--serve"}, &in, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %q; want 0", code, errb.String())
	}
	dec := json.NewDecoder(&out)
	var first, second external.Answer
	if err := dec.Decode(&first); err != nil || first.Page == nil || len(first.Page.Paragraphs) != 2 {
		t.Errorf("first answer %+v, %v; want the page", first, err)
	}
	if err := dec.Decode(&second); err != nil || second.Error != "page is empty" {
		t.Errorf("second answer %+v, %v; want error %q", second, err, "page is empty")
	}
}
