//go:build unix

package sqlitestore

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the processor time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the processor time per operation since start, and the operations per
// second of processor time that makes: a measure that other load on the machine does not
// skew the way it skews ns/op.
func reportCPU(b *testing.B, start time.Duration) {
	used := cpuTime() - start
	if used <= 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(b.N)/used.Seconds(), "ops/cpu-s")
}
