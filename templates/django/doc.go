// Package django is the "django" template backend: the Django template language, on the pongo2
// library (github.com/flosch/pongo2/v6), with Django's {% csrf_token %}, {% url %} and
// {% static %} tags. Importing the package registers the backend:
//
//	import _ "github.com/canter-go/canter/templates/django"
//
//	[[TEMPLATES]]
//	BACKEND = "django"
//	DIRS = ["templates"]
//	APP_DIRS = true
//
// Templates find each other as Django's do: {% extends "base.html" %} and
// {% include "polls/item.html" %} name templates from the root of the search path (the
// project's DIRS, then the apps' templates), and names starting with "./" or "../" are relative
// to the template that uses them. Output is always autoescaped, with Django's escaping
// (& < > " ' become &amp; &lt; &gt; &quot; &#x27;); |safe and {% autoescape off %} turn it off.
//
// # What Django templates can use
//
// Besides pongo2's tags and filters (for, if, with, block, extends, include, cycle, firstof,
// spaceless, now, date, default, length, join, truncatechars, urlize, … — Django's usual set):
//
//	{% csrf_token %}                        the hidden CSRF field, from the context's csrf_token
//	{% url 'polls:detail' question.ID %}    the path of a named route; keyword arguments too:
//	{% url 'archive' year=2024 slug=s %}    {% url … as var %} sets var ("" if it does not reverse)
//	{% static 'polls/style.css' %}          the URL of a static file; {% static … as var %} too
//	{% load static %}                       accepted (the tags are built in)
//	{{ block.super }}                       the parent block's content
//
// The context holds the view's data and request, csrf_token (made only when printed), debug and
// messages (the messages framework's, asked for only when the template uses it).
//
// # Differences from Django
//
// Values are Go values: a struct's fields are reached by their Go names ({{ question.Text }}),
// map entries by key, and functions and methods without arguments are called. Tag libraries
// other than static ({% load i18n %}) do not exist. An {% include %} whose name is a variable is
// parsed on every render, as pongo2 does; one with a quoted name is parsed once with its
// template. {% include … only %} leaves out the request, so {% url %} cannot be used inside it.
//
// pongo2 keeps tags and filters in process-wide registries: this package adds csrf_token, url,
// static and load, and replaces the escape filter (and its alias e) with Django's. If another
// package of the program registered a tag of those names first, New returns an error that says
// so. pongo2's ssi tag, which reads any file of the disk, is refused: Django removed it.
package django
