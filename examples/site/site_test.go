package main

import (
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/canter-go/canter"
	"github.com/canter-go/canter/cantertest"
	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/examples/site/polls"
	"github.com/canter-go/canter/settings"
)

// testProject is the site with its sessions database in a temporary directory.
func testProject(t *testing.T) *canter.Project {
	p := *Project
	p.Env = []string{}
	db := filepath.Join(t.TempDir(), "sessions.sqlite3")
	p.Settings = func(s *settings.Settings) {
		s.Databases = map[string]settings.Database{"default": {Engine: settings.DatabaseSQLite, Name: db}}
	}
	return &p
}

func TestVoteFlow(t *testing.T) {
	polls.Polls = polls.NewStore()
	site, err := testProject(t).Build()
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	c := cantertest.New(t, site)
	c.EnforceCSRFChecks = true // go through the protection as a browser does
	page := c.Get("/polls/1/")
	if page.StatusCode != 200 || !strings.Contains(page.Text(), "Security defaults") {
		t.Fatalf("detail page: %d %s", page.StatusCode, page.Text())
	}
	token := csrf.FindToken(page.Content)
	if token == "" {
		t.Fatal("the vote form has no CSRF token")
	}
	// Without the token: 403, nothing counted.
	if resp := c.Post("/polls/1/vote/", url.Values{"choice": {"2"}}); resp.StatusCode != 403 {
		t.Errorf("vote without token: %d", resp.StatusCode)
	}
	c.FollowRedirects = true
	resp := c.Post("/polls/1/vote/", url.Values{"choice": {"2"}, "csrfmiddlewaretoken": {token}})
	if resp.StatusCode != 200 || !strings.Contains(resp.Text(), "Thanks for voting") || !strings.Contains(resp.Text(), "Speed: 1 vote (your vote)") {
		t.Fatalf("after voting: %d %v %s", resp.StatusCode, resp.Redirects, resp.Text())
	}
	// The flash message is shown once.
	if again := c.Get("/polls/1/results/"); strings.Contains(again.Text(), "Thanks for voting") {
		t.Error("the flash message was shown twice")
	}
	if list := c.Get("/polls/"); !strings.Contains(list.Text(), "you voted") {
		t.Errorf("the index does not remember the vote: %s", list.Text())
	}
	if resp := c.Get("/polls/99/"); resp.StatusCode != 404 {
		t.Errorf("unknown poll: %d", resp.StatusCode)
	}
	cantertest.CheckRoutes(t, site.Router)
}

// BenchmarkStartup measures the time from starting the site's process to its first 200 answer,
// on embedded defaults (no services). Run: go test ./examples/site -run X -bench Startup
func BenchmarkStartup(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "site")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		addr := freeAddr(b)
		start := time.Now()
		cmd := exec.Command(bin, "serve")
		cmd.Dir = b.TempDir() // the sessions database is made there
		cmd.Env = append(os.Environ(), "CANTER_ADDR="+addr)
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		for {
			resp, err := client.Get("http://" + addr + "/")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Since(start) > 10*time.Second {
				b.Fatalf("no 200 within 10s: %v", err)
			}
			time.Sleep(200 * time.Microsecond)
		}
		total += time.Since(start)
		b.StopTimer()
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-first-200")
}

func freeAddr(tb testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
