package check

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// The publishing workflow lives at the module root, two levels up.
var (
	moduleRoot = filepath.Join("..", "..")
	workflow   = filepath.Join(".github", "workflows", "pages.yml")
)

// actionlint is the linter for GitHub Actions workflows, run as a Go tool at
// a fixed version.
const actionlint = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

// TestWorkflowActionlint runs actionlint over the Pages workflow. It needs
// the go command and the module proxy (or a module cache holding actionlint);
// only a missing go command skips the test.
func TestWorkflowActionlint(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("actionlint runs through the go command, which is not available: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "run", actionlint, "-no-color", filepath.ToSlash(workflow))
	cmd.Dir = moduleRoot
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Errorf("go run %s %s: %v\n%s", actionlint, workflow, err, out.String())
	}
}

// TestWorkflowShape asserts what the publishing depends on, beyond what
// actionlint can know: least permissions, a concurrency group, Go from
// go.mod, the base URL from the Pages configuration handed to make build
// and digest check, public/ uploaded with its dotfiles, and a deploy job.
func TestWorkflowShape(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(moduleRoot, workflow))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On          map[string]any    `yaml:"on"`
		Permissions map[string]string `yaml:"permissions"`
		Concurrency struct {
			Group string `yaml:"group"`
		} `yaml:"concurrency"`
		Jobs map[string]struct {
			Needs       string            `yaml:"needs"`
			Environment map[string]string `yaml:"environment"`
			Steps       []struct {
				ID   string            `yaml:"id"`
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
				Env  map[string]string `yaml:"env"`
				Run  string            `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}

	for _, event := range []string{"push", "workflow_dispatch"} {
		if _, ok := wf.On[event]; !ok {
			t.Errorf("on: no %s", event)
		}
	}
	wantPerm := map[string]string{"contents": "read", "pages": "write", "id-token": "write"}
	if len(wf.Permissions) != len(wantPerm) {
		t.Errorf("permissions %v; want %v", wf.Permissions, wantPerm)
	}
	for k, v := range wantPerm {
		if wf.Permissions[k] != v {
			t.Errorf("permissions: %s: %q; want %q", k, wf.Permissions[k], v)
		}
	}
	if wf.Concurrency.Group == "" {
		t.Error("no concurrency group")
	}

	build := wf.Jobs["build"]
	var uses, runs []string
	baseURLs := 0
	for _, s := range build.Steps {
		uses = append(uses, s.Uses)
		runs = append(runs, s.Run)
		if s.Env["BASEURL"] == "${{ steps.pages.outputs.base_url }}/" {
			baseURLs++
		}
		switch {
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			if s.With["go-version-file"] != "go.mod" {
				t.Errorf("setup-go: go-version-file %q; want go.mod", s.With["go-version-file"])
			}
		case strings.HasPrefix(s.Uses, "actions/configure-pages@"):
			if s.ID != "pages" {
				t.Errorf("configure-pages: id %q; want pages", s.ID)
			}
		case strings.HasPrefix(s.Uses, "actions/upload-pages-artifact@"):
			if s.With["path"] != "public" {
				t.Errorf("upload-pages-artifact: path %q; want public", s.With["path"])
			}
			// actionlint v1.7.12 does not know the inputs of v5, the first
			// version that can keep .nojekyll in the artifact.
			if s.With["include-hidden-files"] != "true" {
				t.Errorf("upload-pages-artifact: include-hidden-files %q; want true", s.With["include-hidden-files"])
			}
		}
	}
	order := []string{"actions/checkout@", "actions/setup-go@", "actions/configure-pages@", "actions/upload-pages-artifact@"}
	i := 0
	for _, u := range uses {
		if i < len(order) && strings.HasPrefix(u, order[i]) {
			i++
		}
	}
	if i < len(order) {
		t.Errorf("build steps use %q; want %q in that order", uses, order)
	}
	allRuns := strings.Join(runs, "\n")
	for _, want := range []string{`make build BASEURL="$BASEURL"`, `bin/digest check --site . --out public --base-url "$BASEURL"`} {
		if !strings.Contains(allRuns, want) {
			t.Errorf("build job runs no %q", want)
		}
	}
	if baseURLs != 2 {
		t.Errorf("%d steps take BASEURL from the Pages configuration; want 2 (build, check)", baseURLs)
	}

	deploy := wf.Jobs["deploy"]
	if deploy.Needs != "build" {
		t.Errorf("deploy: needs %q; want build", deploy.Needs)
	}
	if deploy.Environment["name"] != "github-pages" {
		t.Errorf("deploy: environment %q; want github-pages", deploy.Environment["name"])
	}
	if len(deploy.Steps) != 1 || !strings.HasPrefix(deploy.Steps[0].Uses, "actions/deploy-pages@") {
		t.Errorf("deploy: steps %+v; want one actions/deploy-pages", deploy.Steps)
	}
}
