// Command load is the end-to-end benchmark driver. It builds the benchmark server, then for each
// server and endpoint starts it on a loopback address, checks that it answers as specified,
// warms it up, loads it for a bounded time and stops it. It prints one markdown table per
// endpoint: requests per second, p50 and p99 latency, the server's CPU time per request (from
// the server process's own accounting in /proc), and each rival's ratio to its Canter peer.
//
// Run it from the bench module:
//
//	go run ./cmd/load                                  # every server and endpoint, 10s each
//	go run ./cmd/load -servers canter,nethttp,chi -endpoints plaintext -duration 5s
//	go run ./cmd/load -routers -profile prof -out results.md
//
// With two or more CPUs the server and the load generator are pinned to different CPUs with
// taskset (by default the server gets CPU 0 and the load generator the rest), so the server
// runs on one core. wrk generates the load where it is installed; elsewhere, and always for the
// form flow (which needs a session and a CSRF token per connection), the Go generator in
// ../../loadgen does, in a pinned child process.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/canter-go/canter/bench/loadgen"
	"github.com/canter-go/canter/bench/servers"
)

type options struct {
	duration    time.Duration
	warmup      time.Duration
	connections int
	servers     []servers.Server
	endpoints   []string
	out         string
	loader      string
	serverCPUs  string
	loadCPUs    string
	profileDir  string
	routers     bool
	benchtime   string
	jsonOut     string
	work        string // scratch directory of this run
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-generate" {
		generate() // the pinned child that runs the Go load generator
		return
	}
	o, err := parseFlags()
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func parseFlags() (*options, error) {
	o := &options{}
	var serverList, endpointList string
	defServer, defLoad := defaultCPUs()
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured load time per server and endpoint")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before each measurement")
	flag.IntVar(&o.connections, "connections", 64, "concurrent keep-alive connections")
	flag.StringVar(&serverList, "servers", "all", "comma-separated servers: "+strings.Join(serverNames(), ", "))
	flag.StringVar(&endpointList, "endpoints", "all", "comma-separated endpoints: "+strings.Join(servers.Endpoints(), ", "))
	flag.StringVar(&o.out, "out", "-", "write the markdown report to this file (- for standard output)")
	flag.StringVar(&o.loader, "loader", "auto", "load generator: auto (wrk when installed), wrk or go")
	flag.StringVar(&o.serverCPUs, "server-cpus", defServer, "CPUs for the server (taskset list; empty: no pinning)")
	flag.StringVar(&o.loadCPUs, "load-cpus", defLoad, "CPUs for the load generator (taskset list; empty: no pinning)")
	flag.StringVar(&o.profileDir, "profile", "", "take a CPU profile of each server during the measured load and keep it, with its pprof -top, in this directory")
	flag.BoolVar(&o.routers, "routers", false, "also run the router benchmarks (go test -bench) and report them")
	flag.StringVar(&o.benchtime, "benchtime", "1s", "go test -benchtime for the router benchmarks")
	flag.StringVar(&o.jsonOut, "json", "", "also write the raw results as JSON to this file")
	flag.Parse()
	if flag.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	if o.connections <= 0 || o.duration <= 0 || o.warmup < 0 {
		return nil, errors.New("-connections and -duration must be positive, -warmup not negative")
	}
	switch o.loader {
	case "auto":
		if _, err := exec.LookPath("wrk"); err == nil {
			o.loader = "wrk"
		} else {
			o.loader = "go"
		}
	case "wrk":
		if _, err := exec.LookPath("wrk"); err != nil {
			return nil, errors.New("-loader wrk: wrk is not installed (apt-get install wrk), or use -loader go")
		}
	case "go":
	default:
		return nil, fmt.Errorf("-loader %q: use auto, wrk or go", o.loader)
	}
	if o.serverCPUs != "" || o.loadCPUs != "" {
		if _, err := exec.LookPath("taskset"); err != nil {
			fmt.Fprintln(os.Stderr, "load: taskset not found (util-linux); running without pinning")
			o.serverCPUs, o.loadCPUs = "", ""
		}
	}
	for _, name := range split(serverList) {
		if name == "all" {
			o.servers = append(o.servers, servers.All()...)
			continue
		}
		s, ok := servers.Lookup(name)
		if !ok {
			return nil, fmt.Errorf("-servers: unknown server %q; choose from %s", name, strings.Join(serverNames(), ", "))
		}
		o.servers = append(o.servers, s)
	}
	for _, e := range split(endpointList) {
		if e == "all" {
			o.endpoints = append(o.endpoints, servers.Endpoints()...)
			continue
		}
		if servers.Path(e) == "" {
			return nil, fmt.Errorf("-endpoints: unknown endpoint %q; choose from %s", e, strings.Join(servers.Endpoints(), ", "))
		}
		o.endpoints = append(o.endpoints, e)
	}
	return o, nil
}

func split(list string) []string {
	var out []string
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func serverNames() []string {
	var out []string
	for _, s := range servers.All() {
		out = append(out, s.Name)
	}
	return out
}

// defaultCPUs gives the server CPU 0 and the load generator every other CPU; with one CPU
// there is nothing to separate.
func defaultCPUs() (server, load string) {
	n := runtime.NumCPU()
	switch {
	case n < 2:
		return "", ""
	case n == 2:
		return "0", "1"
	default:
		return "0", fmt.Sprintf("1-%d", n-1)
	}
}

func run(o *options) error {
	work, err := os.MkdirTemp("", "canter-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	o.work = work
	if o.profileDir != "" {
		if err := os.MkdirAll(o.profileDir, 0o755); err != nil {
			return err
		}
	}
	machine := describeMachine(o)
	bin := filepath.Join(work, "server")
	logf("building the benchmark server")
	build := exec.Command("go", "build", "-o", bin, "github.com/canter-go/canter/bench/cmd/server")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build of the server: %w", err)
	}

	var results []result
	for _, e := range o.endpoints {
		for _, s := range o.servers {
			if !s.Serves(e) {
				continue
			}
			res := measure(o, bin, work, s, e)
			logf("%-14s %-9s %s", s.Name, e, res.summary())
			results = append(results, res)
		}
	}
	machine.loadAfter = loadAverage()
	machine.finished = time.Now()

	var routerRows []benchRow
	if o.routers {
		logf("running the router benchmarks")
		if routerRows, err = runRouterBenchmarks(o); err != nil {
			return err
		}
	}

	var w io.Writer = os.Stdout
	if o.out != "-" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	report(w, o, machine, results, routerRows)
	if o.jsonOut != "" {
		b, err := json.MarshalIndent(results, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05")+" "+format+"\n", args...)
}

// generate runs the Go load generator with the configuration on standard input and writes the
// result as JSON on standard output.
func generate() {
	var cfg generatorConfig
	if err := json.NewDecoder(os.Stdin).Decode(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "load -generate:", err)
		os.Exit(2)
	}
	lc := loadgen.Config{Addr: cfg.Addr, Connections: cfg.Connections, Duration: cfg.Duration, Path: cfg.Path}
	if cfg.Form {
		lc.Form = &loadgen.FormFlow{Path: cfg.Path, Scrape: servers.FormToken}
	}
	res, err := loadgen.Run(lc)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load -generate:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(res)
}

// generatorConfig is what the driver hands the pinned generator process.
type generatorConfig struct {
	Addr        string        `json:"addr"`
	Connections int           `json:"connections"`
	Duration    time.Duration `json:"duration"`
	Path        string        `json:"path"`
	Form        bool          `json:"form"`
}
