// Package checks is Canter's system check framework, Django's django.core.checks: functions
// that inspect a project's configuration and return messages with an id, a level, a text and a
// hint. The check command prints them and fails when any is an error; runserver runs them
// before serving; check --deploy adds the checks that only matter in production (DEBUG off,
// a strong SECRET_KEY, HSTS, secure cookies, …).
//
//	func checkPolls(ctx *checks.Context) []checks.Message {
//		if ctx.Settings.Debug && len(ctx.Settings.AllowedHosts) == 0 {
//			return []checks.Message{checks.Warning("polls.W001", "…", "…")}
//		}
//		return nil
//	}
package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/canter-go/canter/settings"
	"github.com/canter-go/canter/urls"
)

// Level is a message's severity, with Django's values.
type Level int

// The levels, least severe first.
const (
	LevelDebug    Level = 10
	LevelInfo     Level = 20
	LevelWarning  Level = 30
	LevelError    Level = 40
	LevelCritical Level = 50
)

// String returns the level's name as Django prints it ("WARNING"), or LEVEL(n) for another
// value.
func (l Level) String() string {
	switch l {
	case LevelDebug:
		return "DEBUG"
	case LevelInfo:
		return "INFO"
	case LevelWarning:
		return "WARNING"
	case LevelError:
		return "ERROR"
	case LevelCritical:
		return "CRITICAL"
	}
	return fmt.Sprintf("LEVEL(%d)", int(l))
}

// Message is one finding of a check.
type Message struct {
	// Level is the severity; errors and critical messages make the check command fail.
	Level Level
	// ID identifies the message, as "security.W004": an app label, a letter for the level and a
	// number. SILENCED_SYSTEM_CHECKS-style filters use it.
	ID string
	// Text says what is wrong.
	Text string
	// Hint says how to fix it.
	Hint string
	// Obj names the object concerned, if any (a setting, a route, an app).
	Obj string
}

// IsSerious reports whether the message is an error or worse.
func (m Message) IsSerious() bool { return m.Level >= LevelError }

// String formats the message as Django's check command prints it.
func (m Message) String() string {
	obj := m.Obj
	if obj == "" {
		obj = "?"
	}
	s := fmt.Sprintf("%s: (%s) %s", obj, m.ID, m.Text)
	if m.Hint != "" {
		s += "\n\tHINT: " + m.Hint
	}
	return s
}

// Warning, Error, Info and Critical make messages.
func Warning(id, text, hint string) Message {
	return Message{Level: LevelWarning, ID: id, Text: text, Hint: hint}
}

// Error makes an error message.
func Error(id, text, hint string) Message {
	return Message{Level: LevelError, ID: id, Text: text, Hint: hint}
}

// Info makes an informational message.
func Info(id, text, hint string) Message {
	return Message{Level: LevelInfo, ID: id, Text: text, Hint: hint}
}

// Critical makes a critical message.
func Critical(id, text, hint string) Message {
	return Message{Level: LevelCritical, ID: id, Text: text, Hint: hint}
}

// Context is what checks inspect.
type Context struct {
	// Settings are the project's settings.
	Settings *settings.Settings
	// Apps lists the installed app labels, in order.
	Apps []string
	// Routes lists the site's routes.
	Routes []urls.RouteInfo
	// Deploy is set when checks run with --deploy.
	Deploy bool
}

// Check is a registered check function.
type Check struct {
	// Name identifies the check in listings ("security.hsts").
	Name string
	// Tags group checks ("security", "urls", …); check --tag selects by them.
	Tags []string
	// Deploy marks a check that runs only with --deploy.
	Deploy bool
	// Func runs the check.
	Func func(ctx *Context) []Message
}

// Run runs the checks and returns their messages sorted by level (most severe first), then id.
// Deploy checks run only when ctx.Deploy is set; when tags are given, only checks carrying one
// of them run. Messages whose id is in silenced are dropped.
func Run(ctx *Context, list []Check, tags []string, silenced []string) []Message {
	var out []Message
	for _, c := range list {
		if c.Deploy && !ctx.Deploy {
			continue
		}
		if len(tags) > 0 && !anyTag(c.Tags, tags) {
			continue
		}
		for _, m := range c.Func(ctx) {
			if contains(silenced, m.ID) {
				continue
			}
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Level != out[j].Level {
			return out[i].Level > out[j].Level
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func anyTag(have, want []string) bool {
	for _, t := range want {
		if contains(have, t) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Report formats messages as Django's check command does: grouped into ERRORS, WARNINGS and
// INFOS, followed by a count. It returns "System check identified no issues (0 silenced)."
// when there are none.
func Report(msgs []Message, silenced int) string {
	if len(msgs) == 0 {
		return fmt.Sprintf("System check identified no issues (%d silenced).\n", silenced)
	}
	var b strings.Builder
	b.WriteString("System check identified some issues:\n")
	groups := []struct {
		title    string
		min, max Level
	}{
		{"ERRORS", LevelError, 1 << 30},
		{"WARNINGS", LevelWarning, LevelError},
		{"INFOS", LevelInfo, LevelWarning},
		{"DEBUGS", 0, LevelInfo},
	}
	for _, g := range groups {
		var lines []string
		for _, m := range msgs {
			if m.Level >= g.min && m.Level < g.max {
				lines = append(lines, m.String())
			}
		}
		if len(lines) > 0 {
			b.WriteString("\n" + g.title + ":\n" + strings.Join(lines, "\n") + "\n")
		}
	}
	noun := "issues"
	if len(msgs) == 1 {
		noun = "issue"
	}
	fmt.Fprintf(&b, "\nSystem check identified %d %s (%d silenced).\n", len(msgs), noun, silenced)
	return b.String()
}

// Serious reports whether any message is an error or worse.
func Serious(msgs []Message) bool {
	for _, m := range msgs {
		if m.IsSerious() {
			return true
		}
	}
	return false
}
