// Package django is the "django" template backend: the Django template language, on the
// pongo2 library, with Django's {% csrf_token %}, {% url %} and {% static %} tags.
package django
