package servers

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/julienschmidt/httprouter"
	"github.com/labstack/echo/v4"
)

// The bare rivals: each framework's idiomatic handlers for the three simple endpoints, with no
// middleware.

func writeText(w http.ResponseWriter, s string) {
	w.Header()["Content-Type"] = []string{contentText}
	_, _ = w.Write([]byte(s))
}

func writeJSON(w http.ResponseWriter) {
	b, err := jsonBody()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header()["Content-Type"] = []string{contentJSON}
	_, _ = w.Write(b)
}

func newNetHTTP(Options) (http.Handler, func() error, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /plaintext", func(w http.ResponseWriter, r *http.Request) { writeText(w, helloWorld) })
	mux.HandleFunc("GET /json", func(w http.ResponseWriter, r *http.Request) { writeJSON(w) })
	mux.HandleFunc("GET /users/{id}/posts/{slug}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := parseID(r.PathValue("id"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		writeText(w, userPost(id, r.PathValue("slug")))
	})
	return mux, nothingToClose, nil
}

func nothingToClose() error { return nil }

// chiRoutes registers the simple endpoints on a chi router.
func chiRoutes(r chi.Router) {
	r.Get("/plaintext", func(w http.ResponseWriter, r *http.Request) { writeText(w, helloWorld) })
	r.Get("/json", func(w http.ResponseWriter, r *http.Request) { writeJSON(w) })
	r.Get("/users/{id}/posts/{slug}", func(w http.ResponseWriter, r *http.Request) {
		id, ok := parseID(chi.URLParam(r, "id"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		writeText(w, userPost(id, chi.URLParam(r, "slug")))
	})
}

func newChi(Options) (http.Handler, func() error, error) {
	r := chi.NewRouter()
	chiRoutes(r)
	return r, nothingToClose, nil
}

func newGin(Options) (http.Handler, func() error, error) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.GET("/plaintext", func(c *gin.Context) { c.String(http.StatusOK, helloWorld) })
	e.GET("/json", func(c *gin.Context) { c.JSON(http.StatusOK, message{Message: helloWorld}) })
	e.GET("/users/:id/posts/:slug", func(c *gin.Context) {
		id, ok := parseID(c.Param("id"))
		if !ok {
			c.Status(http.StatusNotFound)
			return
		}
		c.String(http.StatusOK, userPost(id, c.Param("slug")))
	})
	return e, nothingToClose, nil
}

func newEcho(Options) (http.Handler, func() error, error) {
	e := echo.New()
	e.GET("/plaintext", func(c echo.Context) error { return c.String(http.StatusOK, helloWorld) })
	e.GET("/json", func(c echo.Context) error { return c.JSON(http.StatusOK, message{Message: helloWorld}) })
	e.GET("/users/:id/posts/:slug", func(c echo.Context) error {
		id, ok := parseID(c.Param("id"))
		if !ok {
			return echo.ErrNotFound
		}
		return c.String(http.StatusOK, userPost(id, c.Param("slug")))
	})
	return e, nothingToClose, nil
}

func newHTTPRouter(Options) (http.Handler, func() error, error) {
	r := httprouter.New()
	r.GET("/plaintext", func(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) { writeText(w, helloWorld) })
	r.GET("/json", func(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) { writeJSON(w) })
	r.GET("/users/:id/posts/:slug", func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		id, ok := parseID(ps.ByName("id"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		writeText(w, userPost(id, ps.ByName("slug")))
	})
	return r, nothingToClose, nil
}
