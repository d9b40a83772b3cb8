// Package urls maps request paths to views and route names back to paths: Django's
// django.urls and Flask's routing in one.
//
// Patterns use Django's and Flask's syntax, with or without the leading slash:
//
//	router, err := urls.New(
//		urls.Path("", views.Index, urls.Name("index")),
//		urls.Path("articles/<int:year>/<slug:title>/", views.Article, urls.Name("article")),
//		urls.Path("files/<path:name>", views.File),
//		urls.RePath(`^archive/(?P<year>[0-9]{4})/$`, views.Archive),
//		urls.Include("polls/", "polls", polls.URLs...),
//	)
//	path, err := router.Reverse("polls:detail", 7) // "/polls/7/"
//
// Converters are int, str (the default for <name>), slug, uuid and path; RegisterConverter adds
// custom ones. A bad value does not match, so the answer is 404. Routes may be restricted to
// methods (urls.Methods); when the path matches only routes of other methods, the answer is 405
// with an Allow header, and OPTIONS is answered automatically.
//
// Conflicting routes — two patterns that match the same paths for a common method — are errors
// when the router is built, naming both patterns, never surprises at request time. Matching
// does not depend on registration order for path patterns: at each segment, literal text wins
// over parameters, and narrower converters over wider ones. Resolving a static path allocates
// nothing, and a path with parameters allocates nothing when the caller supplies room for
// them, as the gateway does.
package urls
