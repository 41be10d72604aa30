package importer

import (
	"net/url"
	"strings"
)

// The same story may reach the inbox twice: saved as text and as HTML,
// or fetched from an address and saved by hand. Its articles are one
// when their addresses are the same page's: the index of existing
// articles also maps each article's address (under a "url " key, which no
// raw: path starts with) to its file, and an article made in this run is
// added to it.

// urlKey is the index key of an address, or "" for none: the address
// without its fragment, tracking parameters, "www." and a final slash, so
// that a feed's link and the page's canonical address meet.
func urlKey(address string) string {
	u, err := url.Parse(strings.TrimSpace(address))
	if err != nil || u.Host == "" {
		return ""
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "utm_") || k == "from" || k == "ref" {
			q.Del(k)
		}
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	key := "url " + host + strings.TrimSuffix(u.EscapedPath(), "/")
	if len(q) > 0 {
		key += "?" + q.Encode()
	}
	return key
}

// indexURL adds an article's address to the index of existing articles,
// unless another article has it already.
func indexURL(index map[string]string, address, file string) {
	if k := urlKey(address); k != "" {
		if _, dup := index[k]; !dup {
			index[k] = file
		}
	}
}

// existingArticle returns the file of the article already made from d's
// page: by its raw page, else by its address.
func existingArticle(index map[string]string, d *Draft) (string, bool) {
	if f, ok := index[d.Raw]; ok {
		return f, true
	}
	if k := urlKey(d.URL); k != "" {
		f, ok := index[k]
		return f, ok
	}
	return "", false
}
