package importer

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// kills is how big TestImportKilled is: enough articles that a kill
// lands midway, few enough to take seconds.
var kills = struct{ articles, tries int }{16, 6}

// killSiteEnv names, for TestImportChild, the site it re-imports.
const killSiteEnv = "DIGEST_TEST_IMPORT_KILL_SITE"

// TestImportChild is the import TestImportKilled runs in a process of its
// own and kills: a forced re-import of the site's inbox.
func TestImportChild(t *testing.T) {
	dir := os.Getenv(killSiteEnv)
	if dir == "" {
		t.Skip("runs only as the process TestImportKilled starts and kills")
	}
	opts := Options{Site: dir, Force: true, ReadHTML: readHTML}
	if err := Import(context.Background(), opts, []string{filepath.Join(dir, "content", "inbox")}); err != nil {
		t.Fatal(err)
	}
}

// TestImportKilled kills forced re-imports over edited articles at
// random points. After each kill every article is the editor's version or
// the finished re-import's, never a mix, and every backup is a whole copy
// of an editor's version; the next run removes the temporary files left
// and finishes the job as a run never killed does.
func TestImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes for a few seconds; not in -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs SIGKILL")
	}
	// A site of imported pages, each article edited by hand, each page
	// then given a URL, so that a forced re-import rewrites every article.
	pages := map[string][]byte{}
	page := seed(t, "001_ddd55587bb5b04cc.txt")
	for i := range kills.articles {
		pages[fmt.Sprintf("p%02d.txt", i)] = append([]byte(strings.Repeat("Extra line\n", i)), page...)
	}
	template := testSite(t, pages)
	if _, err := run(t, Options{Site: template}, filepath.Join(template, "content", "inbox")); err != nil {
		t.Fatal(err)
	}
	edited := map[string][]byte{} // article name -> the editor's version
	for name, text := range articleFiles(t, template) {
		e := strings.Replace(text, "Kiev is derailing", "Kyiv is derailing", 1)
		write(t, filepath.Join(template, "content", "articles", name), []byte(e))
		edited[name] = []byte(e)
	}
	for name := range pages {
		sidecar := strings.TrimSuffix(name, ".txt") + ".yaml"
		write(t, filepath.Join(template, "content", "inbox", sidecar), []byte("url: https://example.org/"+name+"\n"))
	}

	child := func(dir string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestImportChild$")
		cmd.Env = append(os.Environ(), killSiteEnv+"="+dir)
		return cmd
	}
	// The finished re-import, and how long one takes.
	ref := copySite(t, template)
	start := time.Now()
	if out, err := child(ref).CombinedOutput(); err != nil {
		t.Fatalf("re-import: %v\n%s", err, out)
	}
	took := time.Since(start)
	want := map[string][]byte{}
	for name, text := range articleFiles(t, ref) {
		want[name] = []byte(text)
		if !strings.Contains(text, "Kyiv is derailing") || !strings.Contains(text, "url: https://example.org/") {
			t.Fatalf("test setup: the re-import of %s did not keep the edit and take the URL:\n%s", name, text)
		}
	}

	rng := rand.New(rand.NewPCG(1, 2))
	mixed, killedMidway := 0, 0
	for try := range kills.tries {
		dir := copySite(t, template)
		cmd := child(dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill once the run has backed up a random number of articles,
		// the first try before it writes anything.
		if try > 0 {
			waitForBackups(dir, rng.IntN(kills.articles), took*3)
		}
		cmd.Process.Kill()
		cmd.Wait()

		done := 0
		for name, text := range articleFiles(t, dir) {
			switch {
			case bytes.Equal([]byte(text), want[name]):
				done++
			case bytes.Equal([]byte(text), edited[name]):
			default:
				mixed++
				t.Errorf("try %d: %s is neither the editor's version nor the re-import's:\n%s", try, name, text)
			}
		}
		if done > 0 && done < len(want) {
			killedMidway++
		}
		backups, _ := filepath.Glob(filepath.Join(dir, BackupDir, "*.md"))
		for _, b := range backups {
			data, _ := os.ReadFile(b)
			name := strings.SplitN(filepath.Base(b), ".", 2)[0] + ".md"
			if !bytes.Equal(data, edited[name]) {
				t.Errorf("try %d: backup %s is not a whole copy of the editor's %s", try, filepath.Base(b), name)
			}
		}

		// The next run finishes the job.
		if out, err := child(dir).CombinedOutput(); err != nil {
			t.Fatalf("try %d: re-import after the kill: %v\n%s", try, err, out)
		}
		after := articleFiles(t, dir)
		if len(after) != len(want) {
			t.Errorf("try %d: %d articles after the next run; want %d", try, len(after), len(want))
		}
		for name, text := range after {
			if !bytes.Equal([]byte(text), want[name]) {
				t.Errorf("try %d: after the next run %s differs from a run never killed:\n%s", try, name, text)
			}
		}
		noTemporaryFiles(t, dir)
	}
	t.Logf("%d kills over a %v re-import of %d articles: %d midway, %d articles mixed",
		kills.tries, took.Round(time.Millisecond), kills.articles, killedMidway, mixed)
}

// copySite copies the site folder src into a new temporary folder.
func copySite(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// articleFiles maps the article files (NAME.md) of the site in dir to
// their text, leaving out anything else, such as temporary files.
func articleFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, text := range articles(t, dir) {
		if strings.HasSuffix(name, ".md") && !strings.HasPrefix(name, ".") {
			out[name] = text
		}
	}
	return out
}

// waitForBackups returns once the site in dir holds n backups, or after
// limit.
func waitForBackups(dir string, n int, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(filepath.Join(dir, BackupDir))
		count := 0
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".md") {
				count++
			}
		}
		if count >= n {
			return
		}
		time.Sleep(200 * time.Microsecond)
	}
}
