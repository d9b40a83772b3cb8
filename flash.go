package canter

import (
	"github.com/canter-go/canter/messages"
	"github.com/canter-go/canter/web"
)

// Flash queues a one-time message for the user, as Flask's flash does; the next page shows it
// with FlashedMessages (or the messages template helper). The category is "message" by
// default; "debug", "info", "success", "warning" and "error" set the level of Canter's (and
// Django's) messages framework, any other category is kept as the message's tag.
func Flash(r *web.Request, message string, category ...string) error {
	cat := "message"
	if len(category) > 0 && category[0] != "" {
		cat = category[0]
	}
	switch cat {
	case "debug":
		return messages.Add(r, messages.LevelDebug, message)
	case "info", "message":
		return messages.Add(r, messages.LevelInfo, message)
	case "success":
		return messages.Add(r, messages.LevelSuccess, message)
	case "warning":
		return messages.Add(r, messages.LevelWarning, message)
	case "error":
		return messages.Add(r, messages.LevelError, message)
	}
	return messages.Add(r, messages.LevelInfo, message, cat)
}

// FlashedMessages returns the user's queued messages and removes them (Flask's
// get_flashed_messages). A message's LevelTag is its level ("info" for Flask's default
// category "message"); a category that is not a level name is its ExtraTags, and Tags joins
// the two, as the CSS classes of Django's messages.
func FlashedMessages(r *web.Request) []messages.Message { return messages.Get(r) }
