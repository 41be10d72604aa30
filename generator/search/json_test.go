package search

import (
	"encoding/json"
	"testing"
)

// TestJSONString checks that the index writes strings byte for byte as
// encoding/json does: markup, quotes, control characters, line
// separators and broken UTF-8 included.
func TestJSONString(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "<script>alert(1)</script> & co",
		"tab\tnew\nline\rcr\bback\fform\x00nul\x1fus\x7fdel",
		"Türkiye, İstanbul, Ердоган", "sep\u2028line\u2029para", "bad \xff\xfe utf-8 \xe2\x82",
		"\U0001F600 emoji", "\u200f\u202erlo",
	} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s; want %s", s, got, want)
		}
	}
}

// TestEncodeDoc checks that a document is what encoding/json makes of its
// fields, the round left out when there is none.
func TestEncodeDoc(t *testing.T) {
	type out struct {
		Path   string `json:"p"`
		Title  string `json:"t"`
		Date   string `json:"d"`
		Source string `json:"s"`
		Round  string `json:"r,omitempty"`
		Text   string `json:"x"`
	}
	for _, d := range append(testDocs(), Doc{Path: "a/<b>/", Title: "T & \"U\"", Text: "x\ny\u2028", Source: Facet{"s", "S<"}}) {
		want, _ := json.Marshal(out{d.Path, d.Title, d.Date, d.Source.Name, d.Round.Name, d.Text})
		if got := encodeDoc(d); string(got) != string(want)+"\n" {
			t.Errorf("encodeDoc(%q) = %s; want %s", d.Path, got, want)
		}
	}
}

// TestEntryDocSum checks that an entry's fingerprint follows its
// document: the same for the same document, another for another text.
func TestEntryDocSum(t *testing.T) {
	d := testDocs()[0]
	a, docA := Encode(d, nil)
	b, _ := Encode(d, nil)
	d.Text += " more"
	c, docC := Encode(d, nil)
	if a.DocSum() != b.DocSum() {
		t.Errorf("DocSum of one document: %x, %x; want equal", a.DocSum(), b.DocSum())
	}
	if a.DocSum() == c.DocSum() || string(docA) == string(docC) {
		t.Errorf("DocSum of two texts: %x, %x; want different", a.DocSum(), c.DocSum())
	}
}
