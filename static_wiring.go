package canter

import (
	"fmt"

	"github.com/canter-go/canter/apps"
	"github.com/canter-go/canter/management"
	"github.com/canter-go/canter/staticfiles"
)

// Django's contrib apps that every Canter program has, so INSTALLED_APPS can list them as
// Django projects do: "sessions" (with the clearsessions command) and "messages";
// "staticfiles" registers itself.
func init() {
	apps.Register(&apps.Config{
		Label: "sessions",
		Name:  "github.com/canter-go/canter/sessions",
		Commands: []*management.Command{{
			Name:  "clearsessions",
			Short: "Removes expired sessions from the session store (run it from cron).",
			Run: func(c *management.Context) error {
				site, ok := c.Site.(*Site)
				if !ok {
					return fmt.Errorf("clearsessions needs a Canter site")
				}
				if err := clearSessions(c, site); err != nil {
					return err
				}
				fmt.Fprintln(c.Stdout, "Expired sessions removed.")
				return nil
			},
		}},
	})
	apps.Register(&apps.Config{Label: "messages", Name: "github.com/canter-go/canter/messages"})
}

// StaticFiles returns the site's static files (STATIC_URL, STATIC_ROOT, STATICFILES_DIRS and
// the installed apps' static folders), built on first use. It implements staticfiles.Site for
// the collectstatic and findstatic commands.
func (s *Site) StaticFiles() (*staticfiles.Files, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.static != nil {
		return s.static, nil
	}
	cfg := staticfiles.FromSettings(s.Settings, s.Apps)
	cfg.Collected = s.collected
	files, err := staticfiles.New(cfg)
	if err != nil {
		return nil, err
	}
	s.static = files
	return files, nil
}

var _ staticfiles.Site = (*Site)(nil)
