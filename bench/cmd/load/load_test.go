package main

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseWrk(t *testing.T) {
	out := []byte("Running 1s test @ http://127.0.0.1:1/plaintext\n  1 threads and 8 connections\n" +
		`BENCHJSON {"requests":5000,"duration_us":1000000,"socket_errors":2,"status_errors":3,"p50_us":120,"p90_us":300,"p99_us":900,"max_us":4000}` + "\n")
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 5000 || r.Elapsed != time.Second || r.RequestsPerSecond() != 5000 {
		t.Errorf("requests %d in %v", r.Requests, r.Elapsed)
	}
	if r.P50 != 120*time.Microsecond || r.P99 != 900*time.Microsecond || r.Max != 4*time.Millisecond {
		t.Errorf("latencies %v %v %v", r.P50, r.P99, r.Max)
	}
	if r.Errors != 3 || r.SocketErrors != 2 || !strings.Contains(r.FirstError, "3 responses") {
		t.Errorf("errors %d/%d %q", r.Errors, r.SocketErrors, r.FirstError)
	}
	if _, err := parseWrk([]byte("unable to connect to 127.0.0.1:1 Connection refused\n")); err == nil {
		t.Error("wrk output without a summary was accepted")
	}
}

// TestWrkScript runs the real wrk script against a local server when wrk is installed.
func TestWrkScript(t *testing.T) {
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk is not installed (apt-get install wrk)")
	}
	srv := newTestServer(t)
	r, err := runWrk(&options{connections: 2, work: t.TempDir()}, srv, "/", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests == 0 || r.P50 <= 0 || r.Errors != 0 {
		t.Errorf("wrk result %+v", r)
	}
}

func TestParseBench(t *testing.T) {
	out := []byte(`goos: linux
BenchmarkRouters/GitHubAll/Canter-2         	   19585	     12178 ns/op	       0 B/op	       0 allocs/op
BenchmarkRouters/GitHubAll/Chi              	    1628	    209083 ns/op	  130827 B/op	     740 allocs/op
BenchmarkRouters/Param1/CanterGateway-16    	  483286	       500.2 ns/op	     576 B/op	       1 allocs/op
PASS
`)
	rows := parseBench(out)
	want := []benchRow{
		{"GitHubAll", "Canter", 12178, 0, 0},
		{"GitHubAll", "Chi", 209083, 130827, 740},
		{"Param1", "CanterGateway", 500.2, 576, 1},
	}
	if len(rows) != len(want) {
		t.Fatalf("parsed %d rows: %+v", len(rows), rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
}

// TestCPUTime checks the /proc reading against getrusage: after the process burns 200ms of CPU
// by getrusage's count, /proc must show the same within a few clock ticks.
func TestCPUTime(t *testing.T) {
	rusage := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	before, err := cpuTime(os.Getpid())
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	ru0 := rusage()
	x, giveUp := 0, time.Now().Add(20*time.Second)
	for rusage()-ru0 < 200*time.Millisecond && time.Now().Before(giveUp) {
		for range 100000 {
			x++
		}
	}
	after, err := cpuTime(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	used, want := after-before, rusage()-ru0
	if diff := used - want; diff < -5*clockTick || diff > 5*clockTick {
		t.Errorf("/proc says %v of CPU, getrusage %v (x=%d)", used, want, x)
	}
}

func TestCountCPUs(t *testing.T) {
	for list, want := range map[string]int{"0": 1, "1-3": 3, "0,2-3": 3, "1-1": 1, "x": 1} {
		if got := countCPUs(list); got != want {
			t.Errorf("countCPUs(%q) = %d, want %d", list, got, want)
		}
	}
}

func TestFormatting(t *testing.T) {
	for v, want := range map[float64]string{12.34: "12.3", 999: "999", 1000: "1,000", 1234567.4: "1,234,567"} {
		if got := thousands(v); got != want {
			t.Errorf("thousands(%v) = %q, want %q", v, got, want)
		}
	}
	for d, want := range map[time.Duration]string{1500: "1.50 µs", 12345: "12.3 µs", 2500 * time.Microsecond: "2.50 ms", 0: "0"} {
		if got := dur(d); got != want {
			t.Errorf("dur(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestHeadOfTop(t *testing.T) {
	top := `File: server
Type: cpu
Duration: 3s, Total samples = 1.75s (57%)
Showing nodes accounting for 1.28s, 73% of 1.75s total
      flat  flat%   sum%        cum   cum%
     0.74s 42.29% 42.29%      0.74s 42.29%  syscall
     0.05s  2.86% 45.14%      0.05s  2.86%  indexbytebody
     0.03s  1.71% 46.86%      0.07s  4.00%  setDeadline
`
	got := headOfTop(top, 2)
	if strings.Contains(got, "File:") || !strings.Contains(got, "Type: cpu") || !strings.Contains(got, "indexbytebody") || strings.Contains(got, "setDeadline") {
		t.Errorf("headOfTop:\n%s", got)
	}
}

// TestReportTargets feeds the report made-up results and reads the verdicts.
func TestReportTargets(t *testing.T) {
	results := []result{
		{Server: "canter", Endpoint: "plaintext", Status: "ok", RPS: 80000, CPUPerRequest: 15 * time.Microsecond, Requests: 800000},
		{Server: "nethttp", Endpoint: "plaintext", Peer: "canter", Status: "ok", RPS: 100000, CPUPerRequest: 10 * time.Microsecond, Requests: 1000000},
		{Server: "canter-sqlite", Endpoint: "form", Status: "ok", RPS: 6000, CPUPerRequest: 125 * time.Microsecond},
		{Server: "canter", Endpoint: "form", Status: "not wired"},
	}
	routers := []benchRow{
		{"GitHubAll", "Canter", 15000, 0, 0},
		{"GitHubAll", "CanterGateway", 60000, 100000, 203},
		{"GitHubAll", "Gin", 10000, 0, 0},
		{"Static1", "Canter", 20, 0, 0},
		{"StaticAll", "Canter", 2000, 0, 1},
	}
	var b strings.Builder
	report(&b, &options{duration: time.Second, connections: 1, loader: "go"}, machine{}, results, routers)
	out := b.String()
	for _, want := range []string{
		"80,000 vs 100,000 = 80%",
		"**missed** by 10 points",
		"15.0 µs vs 10.0 µs = 1.50×",
		"**missed** by 20%", // 1.5 / 1.25
		"fastest Gin at 10,000 ns/op: 1.50×",
		"StaticAll 1 allocs/op | **missed**",
		"6,000 req/s (8,000 per fully used core) | **missed** by 25%",
		"| nethttp | 100,000 |",
		"| canter | 1.25 | 0.67 |", // nethttp vs canter: req/s and CPU ratios
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
