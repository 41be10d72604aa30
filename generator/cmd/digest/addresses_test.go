package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestImportAddresses fetches pages from an httptest server and imports
// them: one in windows-1251 named only by its Content-Type, as older
// Russian sites serve it, and one that is missing, which is named with its
// reason while the other is imported. Fetching the same address again
// gives the same article, not a second one.
func TestImportAddresses(t *testing.T) {
	dir := t.TempDir()
	copyRegistries(t, dir)
	page := `<html><head><title>Обмен пленными в Стамбуле</title>
<meta property="og:site_name" content="TASS">
<meta property="article:published_time" content="2025-06-02T20:00:00+03:00"></head><body><article>
<h1>Обмен пленными в Стамбуле</h1>
<p>Делегации России и Украины встретились в Стамбуле на втором раунде прямых переговоров во дворце Чыраган и договорились об обмене пленными.</p>
<p>Стороны договорились обменять всех тяжелораненых и молодых военнопленных, а также передать тела шести тысяч погибших, сообщил глава российской делегации.</p>
<p>Соглашения о прекращении огня достигнуто не было; стороны обменялись меморандумами о путях урегулирования.</p>
</article></body></html>`
	cp1251, err := charmap.Windows1251.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/news/exchange", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1251")
		w.Write([]byte(cp1251))
	})
	mux.HandleFunc("/gone", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	urls := filepath.Join(dir, "urls.txt")
	writeFile(t, urls, []byte("# to import\n"+srv.URL+"/gone\n\n"))

	code, stdout, stderr := runCmd("import", "--site", dir, srv.URL+"/news/exchange", "--urls", urls)
	if code != 1 || !strings.Contains(stderr, srv.URL+"/gone: fetch: HTTP 404") {
		t.Errorf("exit %d, stderr %q; want 1 and the missing address named with HTTP 404", code, stderr)
	}
	if !strings.Contains(stderr, "fetch 2/2: ") {
		t.Errorf("stderr %q; want a progress line per address", stderr)
	}
	arts, _ := filepath.Glob(filepath.Join(dir, "content", "articles", "*.md"))
	if len(arts) != 1 {
		t.Fatalf("wrote %v, stdout %q; want one article", arts, stdout)
	}
	art, err := os.ReadFile(arts[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"title: Обмен пленными в Стамбуле", "source: TASS", "date: 2025-06-02", "round: round-2",
		"url: " + srv.URL + "/news/exchange", "raw: content/inbox/", "Делегации России и Украины"} {
		if !strings.Contains(string(art), want) {
			t.Errorf("article lacks %q:\n%s", want, art)
		}
	}
	side, _ := filepath.Glob(filepath.Join(dir, "content", "inbox", "*.yaml"))
	if len(side) != 1 {
		t.Fatalf("inbox sidecars %v; want one", side)
	}
	if data, _ := os.ReadFile(side[0]); !strings.Contains(string(data), "final_url: "+srv.URL+"/news/exchange") || !strings.Contains(string(data), "fetched_at: ") {
		t.Errorf("sidecar lacks final_url or fetched_at:\n%s", data)
	}

	code, stdout, stderr = runCmd("import", "--site", dir, srv.URL+"/news/exchange")
	if code != 0 || !strings.Contains(stdout, "(unchanged)") {
		t.Errorf("again: exit %d, stdout %q, stderr %q; want 0 and the article unchanged", code, stdout, stderr)
	}
	if again, _ := filepath.Glob(filepath.Join(dir, "content", "articles", "*.md")); len(again) != 1 {
		t.Errorf("after fetching again: %v; want the one article", again)
	}

	if code, _, stderr := runCmd("import", "--site", dir, "--dry-run", srv.URL+"/news/exchange"); code != 2 || !strings.Contains(stderr, "--dry-run") {
		t.Errorf("dry run of an address: exit %d, stderr %q; want a usage error", code, stderr)
	}
}
