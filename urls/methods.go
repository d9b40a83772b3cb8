package urls

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// methodSet is the set of methods a route answers, as bits for the standard methods plus the
// names of any others. The zero value is the empty set; anyMethod marks a route without a
// method restriction.
type methodSet struct {
	bits  uint16
	other []string
}

const (
	bitGet uint16 = 1 << iota
	bitHead
	bitPost
	bitPut
	bitPatch
	bitDelete
	bitOptions
	bitTrace
	bitConnect
	bitOther
	bitAny
)

var methodNames = []struct {
	bit  uint16
	name string
}{
	{bitGet, "GET"}, {bitHead, "HEAD"}, {bitPost, "POST"}, {bitPut, "PUT"}, {bitPatch, "PATCH"},
	{bitDelete, "DELETE"}, {bitOptions, "OPTIONS"}, {bitTrace, "TRACE"}, {bitConnect, "CONNECT"},
}

// methodBit returns the set holding just method (a standard method as its bit).
func methodBit(method string) methodSet {
	switch method {
	case "GET":
		return methodSet{bits: bitGet}
	case "HEAD":
		return methodSet{bits: bitHead}
	case "POST":
		return methodSet{bits: bitPost}
	case "PUT":
		return methodSet{bits: bitPut}
	case "PATCH":
		return methodSet{bits: bitPatch}
	case "DELETE":
		return methodSet{bits: bitDelete}
	case "OPTIONS":
		return methodSet{bits: bitOptions}
	case "TRACE":
		return methodSet{bits: bitTrace}
	case "CONNECT":
		return methodSet{bits: bitConnect}
	}
	return methodSet{bits: bitOther}
}

func newMethodSet(methods []string) (methodSet, error) {
	if len(methods) == 0 {
		return methodSet{bits: bitAny}, nil
	}
	var s methodSet
	for _, m := range methods {
		if m == "" || strings.IndexFunc(m, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
			return s, fmt.Errorf("method %q is not a valid HTTP method name", m)
		}
		b := methodBit(m)
		if b.bits == bitOther {
			if !slices.Contains(s.other, m) {
				s.other = append(s.other, m)
			}
			continue
		}
		s.bits |= b.bits
	}
	if s.bits&bitGet != 0 {
		s.bits |= bitHead // GET routes answer HEAD, as in Flask and net/http
	}
	return s, nil
}

func (s methodSet) any() bool   { return s.bits&bitAny != 0 }
func (s methodSet) empty() bool { return s.bits == 0 && len(s.other) == 0 }

// allows reports whether a route with these methods answers method (whose bit is given).
func (s methodSet) allows(bit methodSet, method string) bool {
	switch {
	case s.bits&bitAny != 0:
		return true
	case bit.bits == bitOther:
		return slices.Contains(s.other, method)
	}
	return s.bits&bit.bits != 0
}

func (s methodSet) overlaps(o methodSet) bool {
	if s.any() || o.any() || s.bits&o.bits != 0 {
		return true
	}
	for _, m := range s.other {
		if slices.Contains(o.other, m) {
			return true
		}
	}
	return false
}

// commonWith describes the methods two overlapping sets share, for conflict messages.
func (s methodSet) commonWith(o methodSet) string {
	switch {
	case s.any() && o.any():
		return "every method"
	case s.any():
		return "methods " + strings.Join(o.list(), ", ")
	case o.any():
		return "methods " + strings.Join(s.list(), ", ")
	}
	common := methodSet{bits: s.bits & o.bits}
	for _, m := range s.other {
		if slices.Contains(o.other, m) {
			common.other = append(common.other, m)
		}
	}
	return "methods " + strings.Join(common.list(), ", ")
}

func (s methodSet) union(o methodSet) methodSet {
	u := methodSet{bits: s.bits | o.bits, other: s.other}
	for _, m := range o.other {
		if !slices.Contains(u.other, m) {
			u.other = append(slices.Clip(u.other), m)
		}
	}
	return u
}

// list returns the methods in the set, sorted.
func (s methodSet) list() []string {
	var out []string
	for _, m := range methodNames {
		if s.bits&m.bit != 0 {
			out = append(out, m.name)
		}
	}
	out = append(out, s.other...)
	sort.Strings(out)
	return out
}

// allowHeader returns the methods for an Allow header: the set plus OPTIONS, which the router
// answers by itself.
func (s methodSet) allowHeader() []string {
	out := s.list()
	if !slices.Contains(out, "OPTIONS") {
		out = append(out, "OPTIONS")
		sort.Strings(out)
	}
	return out
}
