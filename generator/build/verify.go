package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// verifyOutput returns the files of recorded that the output directory out
// holds with the recorded bytes, checked by the hash of their content: the
// files a build may reuse of an output it cannot trust. What else out
// holds is ignored, and so left out of the next tree.
func verifyOutput(out string, recorded map[string]fileState) map[string]fileState {
	var names []string
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(out, p)
		if err != nil {
			return nil
		}
		if _, ok := recorded[filepath.ToSlash(rel)]; ok {
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	good := make(map[string]fileState, len(names))
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan string)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for name := range work {
				st := recorded[name]
				data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
				if err != nil || int64(len(data)) != st.Size || sum(data) != st.Sum {
					continue
				}
				mu.Lock()
				good[name] = st
				mu.Unlock()
			}
		})
	}
	for _, n := range names {
		work <- n
	}
	close(work)
	wg.Wait()
	return good
}
