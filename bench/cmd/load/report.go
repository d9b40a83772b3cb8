package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/canter-go/canter/bench/servers"
)

// The targets the report checks; they are goals to report against, not assertions.
const (
	targetPlaintextShare = 0.90  // Canter's full stack vs bare net/http, requests per second
	targetCPUFactor      = 1.25  // Canter's full stack vs bare net/http, CPU per request
	targetRouterFactor   = 1.5   // Canter's router vs the fastest, GitHub API ns/op
	targetFormSQLite     = 8000  // form GET+POST with SQLite sessions and CSRF, req/s on one core
	targetFormCookie     = 15000 // the same with signed-cookie sessions
)

func report(w io.Writer, o *options, m machine, results []result, routers []benchRow) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("## Results of %s\n\n", m.started.UTC().Format("2006-01-02 15:04 MST"))
	p("- Machine: %d CPUs (`nproc`), %s; %s; %s", m.cpus, m.cpuModel, m.kernel, m.goVersion)
	if m.wrkVersion != "" {
		p("; %s", m.wrkVersion)
	}
	p(".\n")
	p("- Load average (1, 5, 15 min) before: %s; after: %s. Numbers taken while other work runs on the machine are noisy.\n", m.loadBefore, m.loadAfter)
	pin := "no CPU pinning"
	if o.serverCPUs != "" {
		pin = fmt.Sprintf("server pinned to CPU %s, load generator to CPU %s (taskset)", o.serverCPUs, o.loadCPUs)
	}
	loader := o.loader
	if loader == "wrk" {
		loader = "wrk (the form flow: the Go generator, which keeps a session and a CSRF token per connection)"
	} else {
		loader = "the Go generator (loadgen)"
	}
	p("- Each row: one run of %v after %v of warm-up, %d keep-alive connections, %s; load by %s. Took %v.\n",
		o.duration, o.warmup, o.connections, pin, loader, m.finished.Sub(m.started).Round(time.Second))
	p("- Server CPU/request is the server process's user+system time (/proc/<pid>/stat) over the measured window divided by the requests completed in it; CPU use is that time over the wall time (1.00 = one core busy). Req/s per core is one second over CPU/request: what one fully used core would serve, which is steadier than req/s when other work shares the core.\n")
	if !servers.StackWired() {
		p("- **Canter's sessions, CSRF and middleware are not wired into these servers yet**: `canter` runs `canter.New()` as it is today (no middleware), and its form endpoints answer 501.\n")
	}
	p("\n")

	about := map[string]string{}
	for _, s := range servers.All() {
		about[s.Name] = s.About
	}
	byKey := map[string]result{}
	for _, r := range results {
		byKey[r.Server+"/"+r.Endpoint] = r
	}
	for _, e := range servers.Endpoints() {
		var rows []result
		for _, r := range results {
			if r.Endpoint == e {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			continue
		}
		p("### %s (%s)\n\n", e, describeEndpoint(e))
		p("| server | req/s | p50 | p99 | server CPU/req | CPU use | req/s per core | errors | vs | req/s ratio | CPU/req ratio |\n")
		p("|---|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|\n")
		var notes []string
		for _, r := range rows {
			if !r.ok() {
				p("| %s | — | — | — | — | — | — | — | | | |\n", r.Server)
				notes = append(notes, fmt.Sprintf("%s: %s", r.Server, r.Status))
				continue
			}
			peer, ok := peerOf(r, byKey)
			vs, rps, cpu := "", "", ""
			if ok {
				vs = peer.Server
				rps = fmt.Sprintf("%.2f", r.RPS/peer.RPS)
				cpu = fmt.Sprintf("%.2f", float64(r.CPUPerRequest)/float64(peer.CPUPerRequest))
			}
			p("| %s | %s | %s | %s | %s | %.2f | %s | %d | %s | %s | %s |\n", r.Server, thousands(r.RPS), dur(r.P50), dur(r.P99),
				dur(r.CPUPerRequest), r.CPUUtilization, perCore(r), r.Errors, vs, rps, cpu)
			if r.Errors > 0 {
				notes = append(notes, fmt.Sprintf("%s: %d errors, first: %s", r.Server, r.Errors, r.FirstError))
			}
		}
		p("\n")
		for _, n := range notes {
			p("- %s\n", n)
		}
		if len(notes) > 0 {
			p("\n")
		}
	}

	p("Servers: ")
	var parts []string
	seen := map[string]bool{}
	for _, r := range results {
		if !seen[r.Server] {
			seen[r.Server] = true
			parts = append(parts, fmt.Sprintf("`%s` %s", r.Server, about[r.Server]))
		}
	}
	p("%s.\n\n", strings.Join(parts, "; "))

	if len(routers) > 0 {
		routerTable(p, routers)
	}
	targets(p, byKey, routers)
	profiles(p, results)
}

// perCore is the requests per second one fully used core would serve at the measured CPU cost.
func perCore(r result) string {
	if r.CPUPerRequest <= 0 {
		return "—"
	}
	return thousands(float64(time.Second) / float64(r.CPUPerRequest))
}

func describeEndpoint(e string) string {
	if e == servers.Form {
		return "GET " + servers.FormPath + " then POST it with the CSRF token, alternating; each counts as a request"
	}
	return "GET " + servers.Path(e)
}

// peerOf finds the Canter row a rival is compared with: its peer for this endpoint, else
// "canter".
func peerOf(r result, byKey map[string]result) (result, bool) {
	if r.Peer == "" {
		return result{}, false
	}
	for _, name := range []string{r.Peer, "canter"} {
		if p, ok := byKey[name+"/"+r.Endpoint]; ok && p.ok() && p.RPS > 0 && p.CPUPerRequest > 0 {
			return p, true
		}
	}
	return result{}, false
}

func routerTable(p func(string, ...any), rows []benchRow) {
	p("### Routers\n\n")
	p("`go test -bench BenchmarkRouters ./routers`, pinned to the server CPU. One op routes every request of the set once (one request for Static1, Param1 and GitHubParam). `Canter` is `urls.Router.Resolve`, the counterpart of the others' lookup; `CanterGateway` is the whole gateway (request value, empty onion, resolution, response) for comparison.\n\n")
	var sets []string
	fastest := map[string]float64{}
	for _, r := range rows {
		if _, ok := fastest[r.Set]; !ok {
			sets = append(sets, r.Set)
			fastest[r.Set] = math.Inf(1)
		}
		if r.Router != "CanterGateway" && r.NsPerOp < fastest[r.Set] {
			fastest[r.Set] = r.NsPerOp
		}
	}
	p("| set | router | ns/op | B/op | allocs/op | × fastest |\n|---|---|--:|--:|--:|--:|\n")
	for _, set := range sets {
		for _, r := range rows {
			if r.Set == set {
				p("| %s | %s | %s | %d | %d | %.2f |\n", r.Set, r.Router, thousands(r.NsPerOp), r.BytesPerOp, r.AllocsPerOp, r.NsPerOp/fastest[set])
			}
		}
	}
	p("\n")
}

func findBench(rows []benchRow, set, router string) (benchRow, bool) {
	for _, r := range rows {
		if r.Set == set && r.Router == router {
			return r, true
		}
	}
	return benchRow{}, false
}

func targets(p func(string, ...any), byKey map[string]result, routers []benchRow) {
	p("### Targets\n\n| target | measured | verdict |\n|---|---|---|\n")
	verdict := met
	canter, okC := byKey["canter/plaintext"]
	base, okB := byKey["nethttp/plaintext"]
	wired := servers.StackWired()
	stack := "full default stack"
	if !wired {
		stack = "bare app: stack not wired yet"
	}
	if !wired {
		inner := verdict
		verdict = func(met bool, miss string) string {
			return "not yet meaningful: the stack is not wired (bare app: " + strings.ReplaceAll(inner(met, miss), "**", "") + ")"
		}
	}
	if okC && okB && canter.ok() && base.ok() {
		share := canter.RPS / base.RPS
		p("| plaintext req/s, Canter (%s) ≥ %.0f%% of net/http | %s vs %s = %.0f%% | %s |\n", stack, targetPlaintextShare*100,
			thousands(canter.RPS), thousands(base.RPS), share*100,
			verdict(share >= targetPlaintextShare, fmt.Sprintf("by %.0f points", (targetPlaintextShare-share)*100)))
		f := float64(canter.CPUPerRequest) / float64(base.CPUPerRequest)
		p("| plaintext server CPU/req, Canter ≤ %.2f× net/http | %s vs %s = %.2f× | %s |\n", targetCPUFactor,
			dur(canter.CPUPerRequest), dur(base.CPUPerRequest), f,
			verdict(f <= targetCPUFactor, fmt.Sprintf("by %.0f%%", (f/targetCPUFactor-1)*100)))
	} else {
		p("| plaintext vs net/http | not measured in this run | |\n")
	}
	verdict = met
	if len(routers) > 0 {
		if c, ok := findBench(routers, "GitHubAll", "Canter"); ok {
			best, bestName := math.Inf(1), ""
			for _, r := range routers {
				if r.Set == "GitHubAll" && r.Router != "Canter" && r.Router != "CanterGateway" && r.NsPerOp < best {
					best, bestName = r.NsPerOp, r.Router
				}
			}
			f := c.NsPerOp / best
			if c.NsPerOp < best {
				bestName = "Canter"
				f = 1
			}
			p("| router, GitHub API: Canter within %.1f× the fastest | %s ns/op; fastest %s at %s ns/op: %.2f× | %s |\n", targetRouterFactor,
				thousands(c.NsPerOp), bestName, thousands(math.Min(best, c.NsPerOp)), f,
				verdict(f <= targetRouterFactor, fmt.Sprintf("by %.0f%%", (f/targetRouterFactor-1)*100)))
		}
		var allocs []string
		zero := true
		for _, set := range []string{"Static1", "StaticAll"} {
			if c, ok := findBench(routers, set, "Canter"); ok {
				allocs = append(allocs, fmt.Sprintf("%s %d allocs/op", set, c.AllocsPerOp))
				zero = zero && c.AllocsPerOp == 0
			}
		}
		if len(allocs) > 0 {
			p("| router: zero allocations for static routes | %s | %s |\n", strings.Join(allocs, ", "), verdict(zero, ""))
		}
	}
	for _, t := range []struct {
		server, what string
		min          float64
	}{
		{"canter-sqlite", "form GET+POST, SQLite sessions + CSRF, one core", targetFormSQLite},
		{"canter", "form GET+POST, signed-cookie sessions + CSRF, one core", targetFormCookie},
	} {
		r, ok := byKey[t.server+"/form"]
		switch {
		case !ok:
			p("| %s ≥ %s req/s | not measured in this run | |\n", t.what, thousands(t.min))
		case !r.ok():
			p("| %s ≥ %s req/s | %s | |\n", t.what, thousands(t.min), r.Status)
		default:
			p("| %s ≥ %s req/s | %s req/s (%s per fully used core) | %s |\n", t.what, thousands(t.min), thousands(r.RPS), perCore(r),
				verdict(r.RPS >= t.min, fmt.Sprintf("by %.0f%%", (1-r.RPS/t.min)*100)))
		}
	}
	p("\n")
}

// met is a target's verdict.
func met(ok bool, miss string) string {
	if ok {
		return "met"
	}
	return "**missed** " + miss
}

// profiles prints the head of the CPU profile of every Canter row that was profiled.
func profiles(p func(string, ...any), results []result) {
	var any bool
	for _, r := range results {
		if r.ProfileTop == "" || !strings.HasPrefix(r.Server, "canter") {
			continue
		}
		if !any {
			p("### Where Canter's server time goes\n\n`go tool pprof -top` of a CPU profile of the server taken during the measured load (first lines).\n\n")
			any = true
		}
		p("%s, %s — by flat time:\n\n```\n%s```\n\n", r.Server, r.Endpoint, headOfTop(r.ProfileTop, 15))
		if r.ProfileCanter != "" {
			p("%s, %s — cumulative, only the samples under Canter's gateway (`-cum -focus=github.com/canter-go/canter/handler\\.`):\n\n```\n%s```\n\n", r.Server, r.Endpoint, headOfTop(r.ProfileCanter, 15))
		}
	}
}

// headOfTop keeps the summary and the first n rows of pprof -top.
func headOfTop(top string, n int) string {
	lines := strings.Split(top, "\n")
	var out []string
	rows := -1
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "flat") {
			rows = 0
			out = append(out, l)
			continue
		}
		if rows < 0 {
			if strings.HasPrefix(l, "Showing") || strings.HasPrefix(l, "Duration") || strings.HasPrefix(l, "Type") {
				out = append(out, l)
			}
			continue
		}
		if rows >= n || strings.TrimSpace(l) == "" {
			break
		}
		out = append(out, l)
		rows++
	}
	return strings.Join(out, "\n") + "\n"
}

// thousands formats a number with thousands separators and no decimals (one decimal below 100).
func thousands(v float64) string {
	if v < 100 {
		return fmt.Sprintf("%.1f", v)
	}
	s := fmt.Sprintf("%.0f", v)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// dur formats a duration in µs or ms with three significant digits.
func dur(d time.Duration) string {
	us := float64(d) / float64(time.Microsecond)
	switch {
	case d == 0:
		return "0"
	case us < 10:
		return fmt.Sprintf("%.2f µs", us)
	case us < 1000:
		return fmt.Sprintf("%.1f µs", us)
	default:
		return fmt.Sprintf("%.2f ms", us/1000)
	}
}
