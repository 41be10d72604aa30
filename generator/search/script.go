package search

import "strings"

// The script form of the index, for a site read from disk. A browser
// refuses fetch() of file: URLs but runs the scripts a page loads from
// them, so a build for disk writes each file of the index, search/…/x.json,
// also as search/…/x.js: a script that hands the file's bytes, as a string,
// to the page (layouts/disk/search-disk.js answers search.js's fetch() of
// the .json file with them):
//
//	digestIndexPart("search/t/k.json", "{\"kyiv\":[2,5]}\n");
//
// The string holds the JSON text itself, not an object literal: the page
// gets exactly the bytes a server would send, whatever keys a file holds.

// ScriptName returns the name of the script form of the index file name:
// "search/t/k.json" gives "search/t/k.js".
func ScriptName(name string) string { return strings.TrimSuffix(name, ".json") + ".js" }

// Script returns the script form of the index file name whose bytes are
// data. The name and the text are written as JSON strings, which are
// JavaScript strings too (U+2028 and U+2029 escaped, and <, > and &, so
// the script holds no markup).
func Script(name string, data []byte) []byte {
	b := make([]byte, 0, len(data)+len(data)/8+len(name)+32)
	b = append(b, "digestIndexPart("...)
	b = appendJSONString(b, name)
	b = append(b, ", "...)
	b = appendJSONString(b, string(data))
	return append(b, ");\n"...)
}
