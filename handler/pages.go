package handler

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// defaultPage returns Django's minimal page for a status (django.views.defaults).
func defaultPage(status int) *web.Response {
	var title, detail string
	switch status {
	case http.StatusNotFound:
		title, detail = "Not Found", "The requested resource was not found on this server."
	case http.StatusInternalServerError:
		title = "Server Error (500)"
	case http.StatusBadRequest:
		title = "Bad Request (400)"
	case http.StatusForbidden:
		title = "403 Forbidden"
	default:
		title = fmt.Sprintf("%d %s", status, http.StatusText(status))
	}
	body := "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>" + title +
		"</title>\n</head>\n<body>\n  <h1>" + title + "</h1><p>" + detail +
		"</p>\n</body>\n</html>\n"
	return web.HTML(body).WithStatus(status)
}

// hiddenSettings matches setting names whose values debug pages mask (Django's
// HIDDEN_SETTINGS).
var hiddenSettings = regexp.MustCompile(`(?i)API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|COOKIE`)

const masked = "********************"

var urlPassword = regexp.MustCompile(`(://[^:/@\s]*:)[^@/\s]+@`)

// dsnPassword matches the password of a key=value connection string (libpq's
// "host=db password=secret", quoted or not).
var dsnPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]+)`)

type pageData struct {
	Status     int
	StatusText string
	Title      string
	Error      string
	Chain      []string
	Stack      string
	Method     string
	URL        string
	Route      string
	RouteName  string
	Headers    [][2]string
	Query      [][2]string
	Routes     []urls.RouteInfo
	Path       string
	Settings   [][2]string
	NotFound   bool
}

// technicalPage is the debug page for an error: Django's technical_500 and technical_404.
func (h *Handler) technicalPage(r *web.Request, err error, status int) *web.Response {
	d := pageData{
		Status:     status,
		StatusText: http.StatusText(status),
		Error:      err.Error(),
		Method:     r.Method,
		URL:        r.URL.String(),
		Path:       r.URL.Path,
		NotFound:   status == http.StatusNotFound,
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		d.Chain = append(d.Chain, fmt.Sprintf("%T: %v", e, e))
	}
	var p *PanicError
	if errors.As(err, &p) {
		d.Stack = string(p.Stack)
	}
	if m := r.Match(); m != nil {
		d.Route, d.RouteName = m.Pattern, m.FullName()
	}
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := strings.Join(r.Header[k], ", ")
		// Django hides the META entries whose names match HIDDEN_SETTINGS: Authorization,
		// Cookie and X-CSRFToken, but also X-Auth-Token, X-Amz-Security-Token and the like.
		if hiddenSettings.MatchString(k) {
			v = masked
		}
		d.Headers = append(d.Headers, [2]string{k, v})
	}
	d.Query = sortedValues(r.URL.Query())
	if d.NotFound && d.Route == "" {
		if lister, ok := h.site.Resolver.(interface{ Routes() []urls.RouteInfo }); ok {
			d.Routes = lister.Routes()
		}
	}
	if h.settings != nil {
		d.Settings = CleansedSettings(h.settings)
	}
	d.Title = fmt.Sprintf("%d %s", status, d.StatusText)
	var buf bytes.Buffer
	if terr := technicalTemplate.Execute(&buf, d); terr != nil {
		return web.Text(fmt.Sprintf("%d %s\n\n%v\n\n(the debug page failed: %v)", status, d.StatusText, err, terr)).WithStatus(status)
	}
	return web.HTML(buf.String()).WithStatus(status)
}

func sortedValues(values map[string][]string) [][2]string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out [][2]string
	for _, k := range keys {
		v := strings.Join(values[k], ", ")
		if hiddenSettings.MatchString(k) {
			v = masked
		}
		out = append(out, [2]string{k, v})
	}
	return out
}

// CleansedSettings lists settings as name and value, masking values whose names look secret
// (API, AUTH, TOKEN, KEY, SECRET, PASS, SIGNATURE, COOKIE, as Django's debug page does), at
// any depth of maps, structs and lists, and passwords inside URLs and key=value connection
// strings. s may be a struct (a field is named by its `setting` tag, else its Go
// name), a pointer to one, or a map with string keys.
func CleansedSettings(s any) [][2]string {
	v := reflect.ValueOf(s)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	var out [][2]string
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := f.Tag.Get("setting")
			if name == "" {
				name = f.Name
			}
			out = append(out, [2]string{name, cleanse(name, v.Field(i))})
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			name := fmt.Sprint(k)
			out = append(out, [2]string{name, cleanse(name, v.MapIndex(k))})
		}
	}
	return out
}

func cleanse(name string, v reflect.Value) string {
	if hiddenSettings.MatchString(name) && !v.IsZero() {
		return masked
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "<nil>"
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Map, reflect.Struct:
		parts := CleansedSettings(v.Interface())
		items := make([]string, len(parts))
		for i, p := range parts {
			items[i] = p[0] + ": " + p[1]
		}
		return "{" + strings.Join(items, ", ") + "}"
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			break // bytes print as they are
		}
		// Elements may be tables (TEMPLATES) with secrets of their own.
		items := make([]string, v.Len())
		for i := range items {
			items[i] = cleanse("", v.Index(i))
		}
		return "[" + strings.Join(items, " ") + "]"
	}
	text := urlPassword.ReplaceAllString(fmt.Sprint(v.Interface()), "${1}"+masked+"@")
	return dsnPassword.ReplaceAllString(text, "${1}"+masked)
}

var technicalTemplate = template.Must(template.New("technical").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="NONE,NOARCHIVE">
<title>{{.Title}} at {{.Path}}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222}
header{background:#ffc;padding:1em 2em;border-bottom:1px solid #ddd}
header.nf{background:#eef4ff}
h1{margin:0 0 .3em;font-size:1.6em}
h2{font-size:1.1em;margin:1.5em 0 .4em}
section{padding:0 2em 1em}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:2px 8px;border-bottom:1px solid #eee;font-family:ui-monospace,monospace;font-size:12px}
th{width:20%;color:#555}
pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}
footer{padding:1em 2em;color:#777;border-top:1px solid #ddd}
</style>
</head>
<body>
<header{{if .NotFound}} class="nf"{{end}}>
<h1>{{if .NotFound}}Page not found{{else}}{{.StatusText}}{{end}} <small>({{.Status}})</small></h1>
<table>
<tr><th>Request Method</th><td>{{.Method}}</td></tr>
<tr><th>Request URL</th><td>{{.URL}}</td></tr>
{{if .Route}}<tr><th>Route</th><td>{{.Route}}{{if .RouteName}} (name: {{.RouteName}}){{end}}</td></tr>{{end}}
<tr><th>Error</th><td>{{.Error}}</td></tr>
</table>
</header>
{{if .NotFound}}<section>
{{if .Route}}<p>The current path, <code>{{.Path}}</code>, matched the route <code>{{.Route}}</code>; its view answered 404.</p>
{{else if .Routes}}<p>Canter tried these URL patterns, in this order:</p>
<ol>{{range .Routes}}<li><code>{{.Pattern}}</code>{{if .Methods}} [{{range $i, $m := .Methods}}{{if $i}}, {{end}}{{$m}}{{end}}]{{end}}{{if .Name}} [name='{{.Name}}']{{end}}</li>{{end}}</ol>
<p>The current path, <code>{{.Path}}</code>, didn’t match any of these.</p>
{{else}}<p>No URL pattern is configured.</p>{{end}}
</section>{{end}}
{{if .Chain}}<section><h2>Error chain</h2><pre>{{range .Chain}}{{.}}
{{end}}</pre></section>{{end}}
{{if .Stack}}<section><h2>Traceback</h2><pre>{{.Stack}}</pre></section>{{end}}
<section><h2>Request headers</h2><table>{{range .Headers}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}</table></section>
{{if .Query}}<section><h2>Query</h2><table>{{range .Query}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}</table></section>{{end}}
{{if .Settings}}<section><h2>Settings</h2><table>{{range .Settings}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}</table></section>{{end}}
<footer>You’re seeing this page because debug is on. Turn it off (DEBUG = false) in production: the page then shows only the status.</footer>
</body>
</html>
`))
