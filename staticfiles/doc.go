// Package staticfiles finds, collects, names and serves a project's static files (CSS,
// JavaScript, images, fonts): Django's django.contrib.staticfiles with its
// ManifestStaticFilesStorage, plus serving in the way of WhiteNoise.
//
// # Where files come from
//
// Static files live in the project's directories (STATICFILES_DIRS) and in the installed
// apps (apps.Config.Static, often an embed.FS). A name such as "css/site.css" is looked up
// in the project's directories first, in order, then in the apps in INSTALLED_APPS order; the
// first match wins, so a project overrides an app's file by putting its own under the same
// name, and an app listed earlier overrides a later one.
//
//	STATIC_URL = "/static/"
//	STATIC_ROOT = "staticfiles"                 # where collectstatic writes
//	STATICFILES_DIRS = ["assets", "vendor=third_party/dist"]   # "prefix=dir" puts a directory under vendor/
//
// and in an app:
//
//	//go:embed static
//	var static embed.FS
//
//	var App = &apps.Config{Label: "polls", Static: must(fs.Sub(static, "static"))}
//
// `mysite findstatic css/site.css` prints where a name is found, all matches first to last.
//
// # Collecting for production
//
// `mysite collectstatic` copies every file into STATIC_ROOT, and next to each a copy under its
// content-hashed name — css/site.3f2a1b9c0d4e.css, the first 12 hex digits of the MD5 of the
// content — so that the hashed URL can be cached forever and changes whenever the file does.
// References inside style sheets (url(…), @import, source map comments) and the source map
// lines of scripts are rewritten to the hashed names of the files they name, in dependency
// order, so a style sheet that imports another is hashed after the rewritten import. It also
// writes a .gz copy of text files and the manifest staticfiles.json, in Django's format:
//
//	{"paths": {"css/site.css": "css/site.3f2a1b9c0d4e.css", …}, "version": "1.1", "hash": "…"}
//
// A broken reference stops it before it writes anything, with the file, the line and the
// missing name.
//
// # Naming files in pages
//
// Files.URL (and the template tag built on it) gives a file's URL: "/static/css/site.css"
// with DEBUG on, "/static/css/site.3f2a1b9c0d4e.css" from the manifest in production, where
// a name missing from the manifest is an error that says to run collectstatic.
//
// # Serving
//
// Files.Handler, Files.Wrap (around a whole site) and Files.Middleware (as the "staticfiles"
// layer of MIDDLEWARE) serve the files. With DEBUG on they read the finders on each request.
// In production they serve the collected files — from STATIC_ROOT, or from Config.Collected,
// the collected tree compiled into the program so that a site ships as one binary — with
// far-future caching for hashed names, ETags and 304s, byte ranges, and the precompressed
// .gz copy for clients that accept gzip:
//
//	//go:embed all:staticfiles
//	var collected embed.FS
//
//	cfg := staticfiles.FromSettings(settings, registry)
//	cfg.Collected, _ = fs.Sub(collected, "staticfiles")
//	files, err := staticfiles.New(cfg)
//	…
//	http.ListenAndServe(addr, files.Wrap(site))
//
// # The app
//
// Importing the package registers the "staticfiles" app (App). With it in INSTALLED_APPS the
// project gets the collectstatic and findstatic commands, the staticfiles checks and the
// "staticfiles" middleware.
package staticfiles
