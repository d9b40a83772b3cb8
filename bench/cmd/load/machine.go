package main

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// machine describes where and when the numbers were taken.
type machine struct {
	started, finished     time.Time
	cpus                  int
	cpuModel              string
	goVersion             string
	kernel                string
	wrkVersion            string
	loadBefore, loadAfter string
}

func describeMachine(o *options) machine {
	m := machine{started: time.Now(), cpus: runtime.NumCPU(), loadBefore: loadAverage()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpuModel = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	m.goVersion = command("go", "env", "GOVERSION")
	m.kernel = command("uname", "-sr")
	if o.loader == "wrk" {
		// wrk -v prints its version and exits with status 1.
		out, _ := exec.Command("wrk", "-v").CombinedOutput()
		m.wrkVersion, _, _ = strings.Cut(strings.TrimSpace(string(out)), "\n")
	}
	return m
}

func command(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

// loadAverage returns the 1, 5 and 15 minute load averages.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
