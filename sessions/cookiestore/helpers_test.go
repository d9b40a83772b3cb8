package cookiestore_test

import (
	"net/http"
	"net/http/httptest"
)

func httptestRequest() *http.Request { return httptest.NewRequest("GET", "/", nil) }
