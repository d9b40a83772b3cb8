package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// benchRow is one router benchmark result.
type benchRow struct {
	Set, Router string
	NsPerOp     float64
	BytesPerOp  int64
	AllocsPerOp int64
}

// runRouterBenchmarks builds the router benchmarks as a test binary and runs it pinned to the
// server CPUs.
func runRouterBenchmarks(o *options) ([]benchRow, error) {
	dir, err := os.MkdirTemp("", "canter-bench-routers-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "routers.test")
	build := exec.Command("go", "test", "-c", "-o", bin, "github.com/canter-go/canter/bench/routers")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("building the router benchmarks: %w", err)
	}
	cmd := pinned(o.serverCPUs, bin, "-test.run", "^$", "-test.bench", "^BenchmarkRouters$",
		"-test.benchmem", "-test.benchtime", o.benchtime, "-test.count", "1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("router benchmarks: %v\n%s%s", err, out, stderr.String())
	}
	return parseBench(out), nil
}

// parseBench reads "BenchmarkRouters/Set/Router[-N]  iters  X ns/op  Y B/op  Z allocs/op" lines.
func parseBench(out []byte) []benchRow {
	var rows []benchRow
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 8 || !strings.HasPrefix(f[0], "BenchmarkRouters/") {
			continue
		}
		name := strings.TrimPrefix(f[0], "BenchmarkRouters/")
		if i := strings.LastIndexByte(name, '-'); i > strings.IndexByte(name, '/') {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		set, router, ok := strings.Cut(name, "/")
		if !ok {
			continue
		}
		r := benchRow{Set: set, Router: router}
		for i := 2; i+1 < len(f); i += 2 {
			switch f[i+1] {
			case "ns/op":
				r.NsPerOp, _ = strconv.ParseFloat(f[i], 64)
			case "B/op":
				r.BytesPerOp, _ = strconv.ParseInt(f[i], 10, 64)
			case "allocs/op":
				r.AllocsPerOp, _ = strconv.ParseInt(f[i], 10, 64)
			}
		}
		rows = append(rows, r)
	}
	return rows
}
