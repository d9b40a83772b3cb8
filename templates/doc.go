// Package templates renders pages from template files, as Django's template system does: a
// list of engines configured by the TEMPLATES setting, each with a backend and a search path,
// template directories per project and per app, and a Render shortcut for views.
//
// # Engines and where templates are found
//
// Each entry of TEMPLATES is an engine (Config): a backend — "html", Go's html/template, or
// "django", the Django template language from the sub-package templates/django — and the places
// it searches: its DIRS in order, then, with APP_DIRS, the templates of each installed app in
// INSTALLED_APPS order. The first file found wins, so a project's directory overrides every app,
// and an app listed earlier overrides a later one: to change the admin's "admin/base.html", put
// your own in the project's templates directory, as in Django. A name is looked up in each engine
// in turn; the first engine that has it renders it.
//
//	engines, err := templates.New(templates.Env{Apps: registry.Apps(), Debug: true},
//		templates.Config{Backend: "html", Dirs: []string{"templates"}, AppDirs: true})
//
// An app's templates are an fs.FS whose root is its templates directory, usually embedded:
//
//	//go:embed templates
//	var files embed.FS
//	var sub, _ = fs.Sub(files, "templates")
//	var App = &apps.Config{Label: "polls", Templates: sub} // holds polls/index.html
//
// A template is parsed on first use and kept. With debug on (Env.Debug, or the engine's
// "debug" option), a template whose file — or a file it extends or includes — changed on disk is
// parsed again on its next use; its files are checked at most every half second. Preload parses
// everything at start-up.
//
// # Rendering
//
// The Engines value is a middleware: put it in the site's middleware, and views call Render,
// Django's render shortcut:
//
//	func index(r *web.Request) (*web.Response, error) {
//		return templates.Render(r, "polls/index.html", templates.Context{"questions": qs})
//	}
//
// A template sees the view's data plus what Django's context processors add: request,
// csrf_token (made only if the template prints it, so that a page without a form sends no CSRF
// cookie) and debug (see Env.Context); with the django backend, also messages (Env.Messages).
//
// # The html backend
//
// Templates are html/template, with its contextual escaping. The dot is the Context, a map:
// {{ .question.Text }}. A page extends a layout by defining the layout's blocks and then
// calling the layout by its file name; an include is a call too:
//
//	{{/* base.html */}}
//	<title>{{ block "title" . }}My site{{ end }}</title>
//	{{ template "nav.html" . }}
//	{{ block "content" . }}{{ end }}
//
//	{{/* polls/index.html */}}
//	{{ define "title" }}Polls{{ end }}
//	{{ define "content" }}…{{ end }}
//	{{ template "base.html" . }}
//
// Each page is parsed into its own set together with the files it calls by name (names with an
// extension must exist: a missing one is an error when the page is parsed, with the places
// searched), each file after the files it calls, so a page's definitions replace its layout's
// blocks, and a layout's replace its own layout's. Names without an extension are templates
// defined with define or block; html/template reports one that nothing defines when the page
// is first rendered.
//
// The helpers take the context as their first argument, so that one parsed template serves
// every request; inside range and with, where the dot moves, pass $:
//
//	{{ csrf_field . }}                     the hidden CSRF form field ({% csrf_token %})
//	{{ csrf_token . }}                     a CSRF token alone, for a <meta> tag
//	{{ url . "polls:detail" .question.ID }} the path of a named route ({% url %})
//	{{ static "polls/style.css" }}          the URL of a static file ({% static %})
//	{{ range messages . }}…{{ end }}        the messages framework's messages
//
// # The django backend
//
// Import github.com/canter-go/canter/templates/django to add the "django" backend: the Django
// template language (pongo2), always autoescaped, with {% extends %}, {% block %},
// {% include %}, filters, and Django's {% csrf_token %}, {% url 'ns:name' arg %},
// {% url … as var %} and {% static 'path' %}.
//
// # Errors
//
// A template that does not exist is a *NotFoundError listing every place searched, engine by
// engine (Django's postmortem); errors.Is(err, ErrNotFound) matches it. A template that does not
// parse or fails to render is an *Error whose message names the file, the line and the
// expression — "templates: /site/templates/polls/index.html:12:7: {{ .question.Txt }}: can't
// evaluate field Txt in type …" — which the debug page shows.
package templates
