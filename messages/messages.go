// Package messages shows one-time notices to a user: Django's messages framework and Flask's
// flash. A view adds a message while handling one request; the next page that asks for the
// messages shows it, once.
//
//	func vote(r *web.Request) (*web.Response, error) {
//		…
//		messages.Success(r, "Thanks for voting.")
//		return web.RedirectWith(303, "/polls/1/results/"), nil
//	}
//
//	func results(r *web.Request) (*web.Response, error) {
//		for _, m := range messages.Get(r) { … m.Tag(), m.Text … }
//	}
//
// Messages are kept in the user's session (the sessions middleware must run), under Django's
// key "_messages" and in Django's encoding, so a Django site sharing the session store shows
// them too. Templates get them through the messages helper.
package messages

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/web"
)

// Level is a message's importance, with Django's values.
type Level int

// Django's levels.
const (
	LevelDebug   Level = 10
	LevelInfo    Level = 20
	LevelSuccess Level = 25
	LevelWarning Level = 30
	LevelError   Level = 40
)

// MinimumLevel is the level under which messages are dropped (Django's MESSAGE_LEVEL default,
// INFO).
const MinimumLevel = LevelInfo

// SessionKey is where messages are kept in the session, as Django keeps them.
const SessionKey = "_messages"

// Message is one notice.
type Message struct {
	// Level is the message's importance.
	Level Level
	// Text is what the user reads.
	Text string
	// ExtraTags are more CSS classes for the message (Django's extra_tags), or a Flask flash
	// category that is not a level name.
	ExtraTags string
}

// LevelTag returns the level's name as Django's LEVEL_TAGS: "debug", "info", "success",
// "warning" or "error".
func (m Message) LevelTag() string {
	switch m.Level {
	case LevelDebug:
		return "debug"
	case LevelInfo:
		return "info"
	case LevelSuccess:
		return "success"
	case LevelWarning:
		return "warning"
	case LevelError:
		return "error"
	}
	return ""
}

// Tags returns the extra tags and the level tag, separated by a space, as Django's
// message.tags: the CSS classes of the message.
func (m Message) Tags() string {
	switch {
	case m.ExtraTags == "":
		return m.LevelTag()
	case m.LevelTag() == "":
		return m.ExtraTags
	}
	return m.ExtraTags + " " + m.LevelTag()
}

// String returns the text.
func (m Message) String() string { return m.Text }

// ErrNoSession means the request has no session to keep messages in.
var ErrNoSession = errors.New(`messages: the request has no session; list "sessions" in MIDDLEWARE to use messages`)

// Add queues a message for the user who sent r. Messages below MinimumLevel are dropped.
func Add(r *web.Request, level Level, text string, extraTags ...string) error {
	if level < MinimumLevel {
		return nil
	}
	s, ok := sessions.Lookup(r)
	if !ok {
		return ErrNoSession
	}
	list, err := load(s)
	if err != nil {
		return err
	}
	m := Message{Level: level, Text: text}
	if len(extraTags) > 0 {
		m.ExtraTags = extraTags[0]
	}
	return save(s, append(list, m))
}

// Debug, Info, Success, Warning and Error add a message of that level.
func Debug(r *web.Request, text string) error { return Add(r, LevelDebug, text) }

// Info adds an informational message.
func Info(r *web.Request, text string) error { return Add(r, LevelInfo, text) }

// Success adds a success message.
func Success(r *web.Request, text string) error { return Add(r, LevelSuccess, text) }

// Warning adds a warning.
func Warning(r *web.Request, text string) error { return Add(r, LevelWarning, text) }

// Error adds an error message.
func Error(r *web.Request, text string) error { return Add(r, LevelError, text) }

// Get returns the user's messages and removes them, so each is shown once. It returns nil
// when there are none or the request has no session.
func Get(r *web.Request) []Message {
	s, ok := sessions.Lookup(r)
	if !ok || !s.Has(SessionKey) {
		return nil
	}
	list, _ := load(s)
	s.Delete(SessionKey)
	return list
}

// Peek returns the user's messages without removing them.
func Peek(r *web.Request) []Message {
	s, ok := sessions.Lookup(r)
	if !ok {
		return nil
	}
	list, _ := load(s)
	return list
}

// load reads the messages in Django's encoding: a JSON string holding a list of
// ["__json_message", is_safedata, level, message(, extra_tags)].
func load(s *sessions.Session) ([]Message, error) {
	raw, ok := s.GetString(SessionKey)
	if !ok || raw == "" {
		return nil, nil
	}
	var items [][]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &items); err != nil {
		return nil, fmt.Errorf("messages: the session holds unreadable messages: %w", err)
	}
	out := make([]Message, 0, len(items))
	for _, it := range items {
		var tag string
		if len(it) < 4 || json.Unmarshal(it[0], &tag) != nil || tag != "__json_message" {
			continue
		}
		var m Message
		if json.Unmarshal(it[2], &m.Level) != nil || json.Unmarshal(it[3], &m.Text) != nil {
			continue
		}
		if len(it) > 4 {
			json.Unmarshal(it[4], &m.ExtraTags)
		}
		out = append(out, m)
	}
	return out, nil
}

func save(s *sessions.Session, list []Message) error {
	items := make([][]any, 0, len(list))
	for _, m := range list {
		item := []any{"__json_message", 0, int(m.Level), m.Text}
		if m.ExtraTags != "" {
			item = append(item, m.ExtraTags)
		}
		items = append(items, item)
	}
	b, err := json.Marshal(items)
	if err != nil {
		return err
	}
	s.Set(SessionKey, string(b))
	return nil
}
