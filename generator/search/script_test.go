package search

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestScript checks that the script form of a file hands over its name and
// exactly its bytes, as two JSON strings (which are JavaScript strings),
// and carries no markup whatever the file holds.
func TestScript(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"search/index.json", `{"n":2,"shards":[["k","search/t/k.json"]]}` + "\n"},
		{"search/t/k.json", `{"kyiv":[2,5]}` + "\n"},
		{"search/d/0.json", "{\"t\":\"</script><script>alert(1)</script> \\\" \u2028 \u2029 \\u003c\",\"x\":\"a\\nb\"}\n"},
		{"search/d/1.json", ""},
	} {
		got := Script(tc.name, []byte(tc.data))
		if n := ScriptName(tc.name); n != tc.name[:len(tc.name)-len(".json")]+".js" {
			t.Errorf("ScriptName(%q) = %q", tc.name, n)
		}
		rest, ok := bytes.CutPrefix(got, []byte("digestIndexPart("))
		rest, ok2 := bytes.CutSuffix(rest, []byte(");\n"))
		if !ok || !ok2 {
			t.Errorf("Script(%q) = %q; want digestIndexPart(name, text);", tc.name, got)
			continue
		}
		// The arguments, in brackets, are a JSON array of two strings.
		var args []string
		if err := json.Unmarshal(append(append([]byte("["), rest...), ']'), &args); err != nil || len(args) != 2 {
			t.Errorf("Script(%q) = %q: arguments %q, %v; want two strings", tc.name, got, args, err)
			continue
		}
		name, text := args[0], args[1]
		if name != tc.name || text != tc.data {
			t.Errorf("Script(%q) hands over %q, %q; want %q, %q", tc.name, name, text, tc.name, tc.data)
		}
		if bytes.ContainsAny(got, "<>&\u2028\u2029") {
			t.Errorf("Script(%q) = %q: holds markup or a line separator", tc.name, got)
		}
	}
}
