package urls

import (
	"regexp"
	"sort"
	"strings"

	"github.com/canter-go/canter/web"
)

// node is a point in the routing tree: the path consumed so far ends at a segment boundary.
// Its children are edges that each consume one segment (or, for rest, the remainder).
type node struct {
	text    string  // the literal segment leading here, for static children
	index   []byte  // first byte of each static child's text
	statics []*node // children by literal segment
	empty   *node   // child for an empty segment (a trailing slash)
	mixed   []*edge // segments mixing text and parameters, matched by a regex
	params  []*edge // one-parameter segments, narrowest converter first
	rest    []*edge // a slash-matching converter taking the rest of the path
	routes  []*route
}

// edge leads to a child through a parameter (or a mixed segment). A rest edge (a converter
// that matches slashes) takes the remainder of the path, minus a literal suffix.
type edge struct {
	key    string
	conv   web.Converter
	mixed  *mixedSegment
	suffix string
	prio   int
	child  *node
}

type mixedSegment struct {
	re    *regexp.Regexp
	convs []web.Converter
}

func (n *node) emptyChild() *node {
	if n.empty == nil {
		n.empty = &node{}
	}
	return n.empty
}

func (n *node) staticChild(text string) *node {
	for i, c := range n.statics {
		if c.text == text {
			return n.statics[i]
		}
	}
	child := &node{text: text}
	n.statics = append(n.statics, child)
	n.index = append(n.index, text[0])
	return child
}

// edge returns the child reached through the edge of that key in list, adding it if needed.
// Parameter edges stay sorted by converter priority, ties in insertion order.
func (n *node) edge(list *[]*edge, key string, conv web.Converter, mixed *mixedSegment, suffix string) *node {
	for _, e := range *list {
		if e.key == key && e.suffix == suffix {
			return e.child
		}
	}
	e := &edge{key: key, conv: conv, mixed: mixed, suffix: suffix, prio: priority(key), child: &node{}}
	*list = append(*list, e)
	// Longer literal suffixes first (they are more specific), then narrower converters.
	sort.SliceStable(*list, func(i, j int) bool {
		a, b := (*list)[i], (*list)[j]
		if len(a.suffix) != len(b.suffix) {
			return len(a.suffix) > len(b.suffix)
		}
		return a.prio < b.prio
	})
	return e.child
}

// matchState carries one resolution's progress through the tree. The parameter texts live in
// a fixed array (not a slice of it, which would make the state escape to the heap).
type matchState struct {
	method  string
	bit     methodSet
	n       int
	raws    [8]string
	more    []string // parameters beyond the eighth
	found   *route
	allowed methodSet
}

func (st *matchState) push(s string) {
	if st.n < len(st.raws) {
		st.raws[st.n] = s
	} else {
		st.more = append(st.more[:st.n-len(st.raws)], s)
	}
	st.n++
}

func (st *matchState) raw(i int) string {
	if i < len(st.raws) {
		return st.raws[i]
	}
	return st.more[i-len(st.raws)]
}

// find matches path, the part of the request path after the slash that ends this node's
// segment, against the subtree. It backtracks: a literal segment that leads nowhere lets the
// parameters try.
func (n *node) find(path string, st *matchState) bool {
	seg, rest, more := path, "", false
	if i := strings.IndexByte(path, '/'); i >= 0 {
		seg, rest, more = path[:i], path[i+1:], true
	}
	if seg == "" {
		if n.empty != nil && n.empty.next(more, rest, st) {
			return true
		}
	} else {
		c := seg[0]
		for i, b := range n.index {
			if b == c && n.statics[i].text == seg && n.statics[i].next(more, rest, st) {
				return true
			}
		}
		mark := st.n
		for _, e := range n.mixed {
			if e.matchMixed(seg, st) && e.child.next(more, rest, st) {
				return true
			}
			st.n = mark
		}
		for _, e := range n.params {
			if e.conv.Match(seg) {
				st.push(seg)
				if e.child.next(more, rest, st) {
					return true
				}
				st.n = mark
			}
		}
	}
	for _, e := range n.rest {
		if len(path) > len(e.suffix) && strings.HasSuffix(path, e.suffix) {
			value := path[:len(path)-len(e.suffix)]
			if e.conv.Match(value) {
				st.push(value)
				if e.child.accept(st) {
					return true
				}
				st.n--
			}
		}
	}
	return false
}

func (n *node) next(more bool, rest string, st *matchState) bool {
	if more {
		return n.find(rest, st)
	}
	return n.accept(st)
}

// accept picks the first route ending here that allows the method, and notes the methods of
// those that do not.
func (n *node) accept(st *matchState) bool {
	for _, r := range n.routes {
		if r.methods.allows(st.bit, st.method) {
			st.found = r
			return true
		}
		st.allowed = st.allowed.union(r.methods)
	}
	return false
}

func (e *edge) matchMixed(seg string, st *matchState) bool {
	idx := e.mixed.re.FindStringSubmatchIndex(seg)
	if idx == nil {
		return false
	}
	for i, c := range e.mixed.convs {
		v := seg[idx[2*i+2]:idx[2*i+3]]
		if !c.Match(v) {
			return false
		}
		st.push(v)
	}
	return true
}
