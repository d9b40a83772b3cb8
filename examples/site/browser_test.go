package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/canter-go/canter/examples/site/polls"
)

// chromium returns the path of Debian's Chromium, or skips the test (failing instead when
// CANTER_TEST_SERVICES=require, as in CI, which installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CANTER_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	msg := "no Chromium: install Debian's chromium (apt-get install chromium) or set CANTER_CHROMIUM to run the browser test"
	if os.Getenv("CANTER_TEST_SERVICES") == "require" {
		t.Fatal(msg + " (CANTER_TEST_SERVICES=require)")
	}
	t.Skip(msg)
	return ""
}

// listenOn serves h on a free port of a loopback address and returns its base URL.
func listenOn(t *testing.T, ip string, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// TestBrowserVote drives headless Chromium through the example site: it votes through the
// real form and sees the thank-you message (and saves a screenshot); then a page of another
// origin (a second loopback address) posts the same form, which the CSRF protection refuses
// with 403 without counting a vote.
func TestBrowserVote(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	exe := chromium(t)
	polls.Polls = polls.NewStore()
	site, err := testProject(t).Build()
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	base := listenOn(t, "127.0.0.1", site)

	evil := listenOn(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Win a prize</title>
<form id="f" action="%s/polls/1/vote/" method="post"><input type="hidden" name="choice" value="1"></form>
<script>document.getElementById("f").submit()</script>`, base)
	}))

	profile := t.TempDir()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1000, 800),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/polls/1/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="choice"][value="2"]`)),
		chromedp.Click(chromedp.CSS(`input[name="choice"][value="2"]`)),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	if err != nil {
		t.Fatalf("voting in the browser: %v", err)
	}
	flash, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.flash`)))
	if err != nil {
		t.Fatal(err)
	}
	results, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`body`)))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(flash, "Thanks for voting") || !strings.Contains(results, "Speed: 1 vote (your vote)") {
		t.Errorf("after voting the page says %q / %q", flash, results)
	}
	dir := os.Getenv("CANTER_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	shotFile := filepath.Join(dir, "example-site-vote.png")
	if err := os.WriteFile(shotFile, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shotFile, len(shot))

	if err := chromedp.Do(ctx, chromedp.Navigate(evil+"/"), chromedp.WaitVisible(chromedp.CSS(`h1`))); err != nil {
		t.Fatalf("the cross-origin page: %v", err)
	}
	title, _ := chromedp.Run(ctx, chromedp.Title())
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`body`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Forbidden (403)") || !strings.Contains(body, "CSRF verification failed") {
		t.Errorf("the cross-origin post was not refused: title %q, body %q", title, body)
	}
	q, _ := polls.Polls.Question(1)
	if q.Choices[0].Votes != 0 || q.Total() != 1 {
		t.Errorf("votes after the cross-origin post: %+v (want only the one real vote)", q.Choices)
	}
}
