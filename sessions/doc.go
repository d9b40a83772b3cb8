// Package sessions gives each browser a session: Django's session framework in Go, with stores
// from a signed cookie up to PostgreSQL and Redis shared by many instances.
package sessions
