package loadgen

import (
	"math/bits"
	"time"
)

// histogram counts durations in log-linear buckets: exact below 128ns, then 64 buckets per
// power of two, so a bucket is at most 1/64 (1.6%) wide and its midpoint is within 0.8%.
type histogram struct {
	counts []uint64
	n      uint64
	max    time.Duration
}

const subBits = 7 // 2^7 exact values, then 2^6 buckets per octave

func bucketOf(v uint64) int {
	if v < 1<<subBits {
		return int(v)
	}
	e := bits.Len64(v) - subBits // v>>e is in [64, 128)
	return 1<<subBits + (e-1)<<(subBits-1) + int(v>>e) - 1<<(subBits-1)
}

// bucketMid returns the midpoint of bucket i.
func bucketMid(i int) uint64 {
	if i < 1<<subBits {
		return uint64(i)
	}
	i -= 1 << subBits
	e := i>>(subBits-1) + 1
	m := uint64(i&(1<<(subBits-1)-1) + 1<<(subBits-1))
	return m<<e + 1<<(e-1)
}

func (h *histogram) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	i := bucketOf(uint64(d))
	if i >= len(h.counts) {
		h.counts = append(h.counts, make([]uint64, i+1-len(h.counts))...)
	}
	h.counts[i]++
	h.n++
	if d > h.max {
		h.max = d
	}
}

func (h *histogram) merge(o *histogram) {
	if len(o.counts) > len(h.counts) {
		h.counts = append(h.counts, make([]uint64, len(o.counts)-len(h.counts))...)
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	if o.max > h.max {
		h.max = o.max
	}
}

// percentile returns the duration below which p percent of the recorded values fall.
func (h *histogram) percentile(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	if p >= 100 {
		return h.max
	}
	rank := uint64(p / 100 * float64(h.n))
	if rank >= h.n {
		rank = h.n - 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen > rank {
			d := time.Duration(bucketMid(i))
			if d > h.max {
				d = h.max
			}
			return d
		}
	}
	return h.max
}
