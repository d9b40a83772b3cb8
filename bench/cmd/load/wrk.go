package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/canter-go/canter/bench/loadgen"
)

// wrkScript makes wrk print its summary as one JSON line, so nothing is parsed from its
// human-readable report. Latencies are in microseconds.
const wrkScript = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCHJSON {\"requests\":%d,\"duration_us\":%d,\"socket_errors\":%d,\"status_errors\":%d,\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"max_us\":%d}\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`

// wrkScriptFile writes the script into dir once and returns its path.
func wrkScriptFile(dir string) (string, error) {
	path := filepath.Join(dir, "summary.lua")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	return path, os.WriteFile(path, []byte(wrkScript), 0o644)
}

// runWrk loads http://addr/path with wrk: one thread per load CPU, the configured connections.
func runWrk(o *options, addr, path string, d time.Duration) (loadgen.Result, error) {
	script, err := wrkScriptFile(o.work)
	if err != nil {
		return loadgen.Result{}, err
	}
	threads := countCPUs(o.loadCPUs)
	if threads > o.connections {
		threads = o.connections
	}
	secs := int(math.Ceil(d.Seconds()))
	if secs < 1 {
		secs = 1
	}
	cmd := pinned(o.loadCPUs, "wrk",
		"-t", strconv.Itoa(threads), "-c", strconv.Itoa(o.connections), "-d", strconv.Itoa(secs)+"s",
		"--timeout", "10s", "-s", script, "http://"+addr+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return loadgen.Result{}, fmt.Errorf("wrk: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return parseWrk(out)
}

func parseWrk(out []byte) (loadgen.Result, error) {
	_, js, ok := bytes.Cut(out, []byte("BENCHJSON "))
	if !ok {
		return loadgen.Result{}, fmt.Errorf("wrk printed no summary: %q", out)
	}
	js, _, _ = bytes.Cut(js, []byte("\n"))
	var w struct {
		Requests     int64 `json:"requests"`
		DurationUS   int64 `json:"duration_us"`
		SocketErrors int64 `json:"socket_errors"`
		StatusErrors int64 `json:"status_errors"`
		P50US        int64 `json:"p50_us"`
		P90US        int64 `json:"p90_us"`
		P99US        int64 `json:"p99_us"`
		MaxUS        int64 `json:"max_us"`
	}
	if err := json.Unmarshal(js, &w); err != nil {
		return loadgen.Result{}, fmt.Errorf("wrk summary %q: %v", js, err)
	}
	res := loadgen.Result{
		Requests:     w.Requests,
		Errors:       w.StatusErrors,
		SocketErrors: w.SocketErrors,
		Elapsed:      time.Duration(w.DurationUS) * time.Microsecond,
		P50:          time.Duration(w.P50US) * time.Microsecond,
		P90:          time.Duration(w.P90US) * time.Microsecond,
		P99:          time.Duration(w.P99US) * time.Microsecond,
		Max:          time.Duration(w.MaxUS) * time.Microsecond,
	}
	if w.StatusErrors > 0 {
		res.FirstError = fmt.Sprintf("%d responses with a status of 400 or more", w.StatusErrors)
	}
	if w.SocketErrors > 0 {
		res.FirstError = strings.TrimPrefix(res.FirstError+fmt.Sprintf("; %d socket errors", w.SocketErrors), "; ")
	}
	return res, nil
}

// countCPUs counts the CPUs of a taskset list such as "1-3,5"; an empty list means all.
func countCPUs(list string) int {
	if list == "" {
		return max(1, runtime.NumCPU())
	}
	n := 0
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(lo)
		if !isRange {
			if err1 == nil {
				n++
			}
			continue
		}
		b, err2 := strconv.Atoi(hi)
		if err1 == nil && err2 == nil && b >= a {
			n += b - a + 1
		}
	}
	return max(1, n)
}
