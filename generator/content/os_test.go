package content

import (
	"io/fs"
	"os"
	"testing"
)

func osDir(t *testing.T, dir string) fs.FS {
	t.Helper()
	if _, err := os.Stat(dir + "/content/site.yaml"); err != nil {
		t.Fatalf("bundled site not found: %v", err)
	}
	return os.DirFS(dir)
}
