package fastgen

import (
	"strings"
	"testing"
	"text/template/parse"
)

// The generator's output is tested in package render, which compiles it:
// see render's fastpath_test.go. These test its helpers.

func TestEscapers(t *testing.T) {
	tests := []struct{ pipe, rest, escs string }{
		{`{{.X | _html_template_htmlescaper}}`, `.X`, "htmlescaper"},
		{`{{.URL .A | _html_template_urlfilter | _html_template_urlnormalizer | _html_template_attrescaper}}`, `.URL .A`, "urlfilter urlnormalizer attrescaper"},
		{`{{.X | printf "%s" | _html_template_attrescaper}}`, `.X | printf "%s"`, "attrescaper"},
		{`{{.X}}`, `.X`, ""},
	}
	for _, tt := range tests {
		trees, err := parse.Parse("t", tt.pipe, "", "", map[string]any{
			"printf": true, "_html_template_htmlescaper": true, "_html_template_urlfilter": true,
			"_html_template_urlnormalizer": true, "_html_template_attrescaper": true,
		})
		if err != nil {
			t.Fatal(err)
		}
		pipe := trees["t"].Root.Nodes[0].(*parse.ActionNode).Pipe
		cmds, escs := escapers(pipe.Cmds)
		var rest []string
		for _, c := range cmds {
			rest = append(rest, c.String())
		}
		if got := strings.Join(rest, " | "); got != tt.rest || strings.Join(escs, " ") != tt.escs {
			t.Errorf("%s: %q, %q; want %q, %q", tt.pipe, got, strings.Join(escs, " "), tt.rest, tt.escs)
		}
	}
}

func TestExportedName(t *testing.T) {
	for name, want := range map[string]string{"base": "Base", "entry": "Entry", "round-card": "RoundCard", "a$htmltemplate_stateRCDATA": "AHtmltemplateStateRCDATA"} {
		if got := exportedName(name); got != want {
			t.Errorf("exportedName(%q) = %q; want %q", name, got, want)
		}
	}
}
