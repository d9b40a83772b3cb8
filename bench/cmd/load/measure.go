package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/canter-go/canter/bench/loadgen"
	"github.com/canter-go/canter/bench/servers"
)

// result is one measured (server, endpoint) pair.
type result struct {
	Server   string `json:"server"`
	Endpoint string `json:"endpoint"`
	Peer     string `json:"peer,omitempty"`
	Loader   string `json:"loader"`
	// Status is "ok", "not wired" or the reason the pair was not measured.
	Status   string        `json:"status"`
	Requests int64         `json:"requests"`
	Errors   int64         `json:"errors"`
	RPS      float64       `json:"rps"`
	P50      time.Duration `json:"p50_ns"`
	P99      time.Duration `json:"p99_ns"`
	// CPUPerRequest is the server's user+system CPU time over the measured window divided by
	// the requests completed in it.
	CPUPerRequest time.Duration `json:"cpu_per_request_ns"`
	// CPUUtilization is the server's CPU time over the window's wall time (1.0 = one core).
	CPUUtilization float64 `json:"cpu_utilization"`
	// ProfileTop is the head of go tool pprof -top for the measured window, when profiled.
	ProfileTop string `json:"profile_top,omitempty"`
	// ProfileCanter is the cumulative top of the samples inside Canter's packages.
	ProfileCanter string `json:"profile_canter,omitempty"`
	FirstError    string `json:"first_error,omitempty"`
}

func (r result) ok() bool { return r.Status == "ok" }

func (r result) summary() string {
	if !r.ok() {
		return r.Status
	}
	s := fmt.Sprintf("%9.0f req/s  p50 %-9s p99 %-9s cpu/req %-9s cpu use %.2f", r.RPS, dur(r.P50), dur(r.P99), dur(r.CPUPerRequest), r.CPUUtilization)
	if r.Errors > 0 {
		s += fmt.Sprintf("  %d errors (%s)", r.Errors, r.FirstError)
	}
	return s
}

// measure runs one server for one endpoint: start, check, warm up, measure, stop.
func measure(o *options, bin, work string, s servers.Server, endpoint string) result {
	res := result{Server: s.Name, Endpoint: endpoint, Peer: s.Peer, Loader: o.loader}
	if endpoint == servers.Form {
		res.Loader = "go" // wrk cannot keep a session and a CSRF token per connection
	}
	dir, err := os.MkdirTemp(work, s.Name+"-"+endpoint+"-")
	if err != nil {
		res.Status = err.Error()
		return res
	}
	var profile string
	if o.profileDir != "" {
		profile = filepath.Join(o.profileDir, s.Name+"-"+endpoint+".pprof")
	}
	proc, err := startServer(o, bin, s.Name, dir, profile)
	if err != nil {
		res.Status = "did not start: " + err.Error()
		return res
	}
	defer proc.stop()

	if err := servers.Check("http://"+proc.addr, endpoint, s.FullStack); err != nil {
		if errors.Is(err, servers.ErrNotWired) {
			res.Status = "not wired"
		} else {
			res.Status = "check failed: " + err.Error()
		}
		return res
	}
	if o.warmup > 0 {
		if _, err := load(o, res.Loader, proc.addr, endpoint, o.warmup); err != nil {
			res.Status = "warm-up failed: " + err.Error()
			return res
		}
	}
	if profile != "" {
		_ = proc.cmd.Process.Signal(syscall.SIGUSR1)
	}
	before, err := cpuTime(proc.cmd.Process.Pid)
	if err != nil {
		res.Status = err.Error()
		return res
	}
	lr, err := load(o, res.Loader, proc.addr, endpoint, o.duration)
	after, err2 := cpuTime(proc.cmd.Process.Pid)
	if err == nil {
		err = err2
	}
	if err != nil {
		res.Status = "load failed: " + err.Error()
		return res
	}
	res.Status = "ok"
	res.Requests, res.Errors, res.FirstError = lr.Requests, lr.Errors+lr.SocketErrors, lr.FirstError
	res.RPS, res.P50, res.P99 = lr.RequestsPerSecond(), lr.P50, lr.P99
	if lr.Requests > 0 {
		res.CPUPerRequest = (after - before) / time.Duration(lr.Requests)
	}
	if lr.Elapsed > 0 {
		res.CPUUtilization = float64(after-before) / float64(lr.Elapsed)
	}
	if profile != "" {
		proc.stop()
		res.ProfileTop = pprofTop(bin, profile)
		if strings.HasPrefix(s.Name, "canter") {
			res.ProfileCanter = pprofCanter(bin, profile)
		}
	}
	return res
}

// serverProcess is a running benchmark server.
type serverProcess struct {
	cmd     *exec.Cmd
	addr    string
	stderr  *bytes.Buffer
	stopped bool
}

func startServer(o *options, bin, name, dir, profile string) (*serverProcess, error) {
	args := []string{"-server", name, "-addr", "127.0.0.1:0", "-dir", dir}
	if profile != "" {
		args = append(args, "-cpuprofile", profile)
	}
	cmd := pinned(o.serverCPUs, bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &serverProcess{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		for sc.Scan() {
		}
	}()
	select {
	case l, ok := <-line:
		addr, found := strings.CutPrefix(l, "listening http://")
		if !ok || !found {
			p.stop()
			return nil, fmt.Errorf("%s: %q %s", name, l, strings.TrimSpace(p.stderr.String()))
		}
		p.addr = addr
	case <-time.After(30 * time.Second):
		p.stop()
		return nil, fmt.Errorf("%s did not start listening within 30s", name)
	}
	return p, nil
}

// stop asks the server to finish (it writes its profile then) and waits for it.
func (p *serverProcess) stop() {
	if p.stopped {
		return
	}
	p.stopped = true
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// pinned returns a command that runs on the given CPUs (taskset replaces itself with the
// program, so the process id is the program's).
func pinned(cpus, prog string, args ...string) *exec.Cmd {
	if cpus == "" {
		return exec.Command(prog, args...)
	}
	return exec.Command("taskset", append([]string{"-c", cpus, prog}, args...)...)
}

// clockTick is the unit of utime and stime in /proc/<pid>/stat.
var clockTick = func() time.Duration {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if hz, err := strconv.Atoi(strings.TrimSpace(string(out))); err == nil && hz > 0 {
			return time.Second / time.Duration(hz)
		}
	}
	return 10 * time.Millisecond // USER_HZ is 100 on Linux
}()

// cpuTime returns the user plus system CPU time a process has used, from /proc/<pid>/stat.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("reading the server's CPU time: %w", err)
	}
	// The command name is in parentheses and may hold spaces: fields start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("unreadable /proc stat line")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, errors.New("short /proc stat line")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("unreadable utime/stime in /proc stat line")
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// load runs one load run with the chosen generator, pinned to the load CPUs.
func load(o *options, loader, addr, endpoint string, d time.Duration) (loadgen.Result, error) {
	if loader == "wrk" {
		return runWrk(o, addr, servers.Path(endpoint), d)
	}
	self, err := os.Executable()
	if err != nil {
		return loadgen.Result{}, err
	}
	cfg, _ := json.Marshal(generatorConfig{Addr: addr, Connections: o.connections, Duration: d, Path: servers.Path(endpoint), Form: endpoint == servers.Form})
	cmd := pinned(o.loadCPUs, self, "-generate")
	cmd.Stdin = bytes.NewReader(cfg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return loadgen.Result{}, fmt.Errorf("go load generator: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var res loadgen.Result
	if err := json.Unmarshal(out, &res); err != nil {
		return loadgen.Result{}, fmt.Errorf("go load generator output %q: %v", out, err)
	}
	return res, nil
}

// pprofTop returns go tool pprof -top for a profile (by flat time), and keeps it in a .txt
// file beside the profile.
func pprofTop(bin, profile string) string {
	return pprof(bin, profile, ".txt", "-top", "-nodecount=25")
}

// pprofCanter returns the cumulative top of the samples that pass through Canter's own code,
// which is what Canter adds to net/http (everything Canter does runs under its gateway).
func pprofCanter(bin, profile string) string {
	return pprof(bin, profile, ".canter.txt", "-top", "-cum", "-nodecount=30", "-focus=github.com/canter-go/canter/handler\\.")
}

func pprof(bin, profile, suffix string, args ...string) string {
	out, err := exec.Command("go", append(append([]string{"tool", "pprof"}, args...), bin, profile)...).CombinedOutput()
	if err != nil {
		return "pprof failed: " + strings.TrimSpace(string(out))
	}
	_ = os.WriteFile(strings.TrimSuffix(profile, ".pprof")+suffix, out, 0o644)
	return string(out)
}
