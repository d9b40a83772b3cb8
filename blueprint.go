package canter

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/canter-go/canter/urls"
)

// Blueprint is a group of routes with a URL prefix, a name (the namespace its routes are
// reversed in: "admin:index") and hooks and error handlers of its own, as in Flask. Set it up
// completely, then Register it on an app or on another blueprint.
type Blueprint struct {
	scope
	name       string
	parent     *Blueprint
	children   []childBlueprint
	registered bool
}

type childBlueprint struct {
	bp     *Blueprint
	prefix string
}

// NewBlueprint returns a blueprint. The name may not be empty or contain '.' or ':'.
func NewBlueprint(name string) *Blueprint {
	if name == "" || strings.ContainsAny(name, ".:") {
		panic(fmt.Sprintf("canter: blueprint name %q may not be empty or contain '.' or ':'", name))
	}
	bp := &Blueprint{name: name}
	bp.scope.bp = bp
	return bp
}

// Name returns the blueprint's name.
func (bp *Blueprint) Name() string { return bp.name }

// Register nests child under this blueprint with a URL prefix; its routes are reversed as
// "parent:child:name".
func (bp *Blueprint) Register(child *Blueprint, prefix string) {
	bp.checkOpen("Register")
	child.claim()
	child.parent = bp
	bp.children = append(bp.children, childBlueprint{child, prefix})
}

// Register mounts a blueprint under a URL prefix ("/admin"). Registering a blueprint twice, or
// two blueprints of the same name, panics.
func (a *App) Register(bp *Blueprint, prefix string) {
	bp.claim()
	for _, other := range a.blueprints() {
		if other.name == bp.name && other.parent == nil {
			panic(fmt.Sprintf("canter: the name %q is already registered for a different blueprint; give each blueprint its own name", bp.name))
		}
	}
	a.addEntries(bp.entry(prefix))
	a.roots = append(a.roots, bp)
}

func (bp *Blueprint) claim() {
	if bp.registered {
		panic(fmt.Sprintf("canter: blueprint %q is already registered; a blueprint is registered once", bp.name))
	}
	bp.registered = true
	for _, c := range bp.children {
		c.bp.registered = true
	}
}

// entry turns the blueprint and its children into one URL include.
func (bp *Blueprint) entry(prefix string) urls.Entry {
	entries := append([]urls.Entry(nil), bp.entries...)
	for _, c := range bp.children {
		entries = append(entries, c.bp.entry(c.prefix))
	}
	return urls.Include(prefix, bp.name, entries...)
}

// blueprints lists every registered blueprint, nested ones included.
func (a *App) blueprints() []*Blueprint {
	var out []*Blueprint
	var walk func(bp *Blueprint)
	walk = func(bp *Blueprint) {
		out = append(out, bp)
		for _, c := range bp.children {
			walk(c.bp)
		}
	}
	for _, bp := range a.roots {
		walk(bp)
	}
	return out
}

func runtimeFuncName(pc uintptr) string {
	if fn := runtime.FuncForPC(pc); fn != nil {
		return fn.Name()
	}
	return ""
}
