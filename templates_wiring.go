package canter

import (
	"github.com/canter-go/canter/messages"
	"github.com/canter-go/canter/templates"
	_ "github.com/canter-go/canter/templates/django" // the "django" backend of TEMPLATES
	"github.com/canter-go/canter/web"
)

// buildTemplates makes the engines of the TEMPLATES setting, with the static files of the
// site (when the staticfiles app is installed) and the messages framework as helpers. It
// returns nil when TEMPLATES is empty.
func buildTemplates(site *Site) (*templates.Engines, error) {
	s := site.Settings
	if len(s.Templates) == 0 {
		return nil, nil
	}
	env := templates.Env{
		Apps:      site.Apps.Apps(),
		Debug:     s.Debug,
		StaticURL: s.StaticURL,
		Messages:  requestMessages,
	}
	if site.Apps.IsInstalled("staticfiles") {
		files, err := site.StaticFiles()
		if err != nil {
			return nil, err
		}
		env.Static = files.URL
	}
	cfgs := make([]templates.Config, 0, len(s.Templates))
	for _, t := range s.Templates {
		cfgs = append(cfgs, templates.Config{Backend: t.Backend, Dirs: t.Dirs, AppDirs: t.AppDirs, Options: t.Options})
	}
	return templates.New(env, cfgs...)
}

type messagesKey struct{}

// requestMessages takes the user's messages once per request, so that a template may test and
// then list them.
func requestMessages(r *web.Request) any {
	if list, ok := r.Get(messagesKey{}).([]messages.Message); ok {
		return list
	}
	list := messages.Get(r)
	if list == nil {
		list = []messages.Message{}
	}
	r.Set(messagesKey{}, list)
	return list
}
