package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/canter-go/canter/bench/servers"
)

// TestMain lets the test binary act as the pinned load generator child, as the command does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "-generate" {
		generate()
		return
	}
	os.Exit(m.Run())
}

// TestRunEndToEnd builds the server, measures two servers with the Go generator for a short
// time, and reads the report.
func TestRunEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and loads real servers")
	}
	dir := t.TempDir()
	net, _ := servers.Lookup("nethttp")
	full, _ := servers.Lookup("chi-full-mem")
	server, load := defaultCPUs()
	o := &options{
		duration: 500 * time.Millisecond, warmup: 100 * time.Millisecond, connections: 4,
		servers: []servers.Server{net, full}, endpoints: []string{servers.Plaintext, servers.Form},
		out: filepath.Join(dir, "report.md"), jsonOut: filepath.Join(dir, "results.json"),
		loader: "go", serverCPUs: server, loadCPUs: load,
	}
	if err := run(o); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(o.out)
	if err != nil {
		t.Fatal(err)
	}
	report := string(b)
	for _, row := range []string{`\| nethttp \| [0-9,]+ \|`, `\| chi-full-mem \| [0-9,]+ \|`, `### form`} {
		if !regexp.MustCompile(row).MatchString(report) {
			t.Errorf("report lacks %s:\n%s", row, report)
		}
	}
	if strings.Contains(report, "check failed") || strings.Contains(report, "errors, first") {
		t.Errorf("a server failed:\n%s", report)
	}
	if _, err := os.Stat(o.jsonOut); err != nil {
		t.Error(err)
	}
}
