package servers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Check drives endpoint of the server at base (such as "http://127.0.0.1:8000") as a browser
// would and returns an error that says what was wrong with the answer. An endpoint that answers
// 501 Not Implemented returns an error wrapping ErrNotWired. fullStack also demands the
// security headers.
func Check(base, endpoint string, fullStack bool) error {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	switch endpoint {
	case Plaintext:
		return checkGet(c, base+PlaintextPath, contentText, fullStack, func(b []byte) error {
			return want(string(b), helloWorld)
		})
	case JSON:
		return checkGet(c, base+JSONPath, contentJSON, fullStack, func(b []byte) error {
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				return fmt.Errorf("body %q is not JSON: %v", b, err)
			}
			if len(m) != 1 || m["message"] != helloWorld {
				return fmt.Errorf("body %s, want {\"message\":%q}", b, helloWorld)
			}
			return nil
		})
	case Params:
		if err := checkGet(c, base+ParamsPath, contentText, fullStack, func(b []byte) error {
			return want(string(b), "user 42 post hello-world")
		}); err != nil {
			return err
		}
		if err := checkGet(c, base+"/users/0042/posts/x_y", contentText, fullStack, func(b []byte) error {
			return want(string(b), "user 42 post x_y")
		}); err != nil {
			return err
		}
		for _, p := range []string{"/users/-1/posts/a", "/users/x/posts/a", "/users/99999999999999999999/posts/a"} {
			resp, err := c.Get(base + p)
			if err != nil {
				return err
			}
			drain(resp)
			if resp.StatusCode != http.StatusNotFound {
				return fmt.Errorf("GET %s: status %d, want 404", p, resp.StatusCode)
			}
		}
		return nil
	case Form:
		return checkForm(c, base, fullStack)
	}
	return fmt.Errorf("unknown endpoint %q", endpoint)
}

// sameMediaType compares content types by media type and charset (absent means UTF-8, the
// only charset JSON has), ignoring case.
func sameMediaType(got, want string) bool {
	gt, gp, err := mime.ParseMediaType(got)
	if err != nil {
		return false
	}
	wt, wp, _ := mime.ParseMediaType(want)
	return gt == wt && strings.EqualFold(charset(gp), charset(wp))
}

func charset(params map[string]string) string {
	if c, ok := params["charset"]; ok {
		return c
	}
	return "utf-8"
}

func want(got, want string) error {
	if got != want {
		return fmt.Errorf("body %q, want %q", got, want)
	}
	return nil
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func checkGet(c *http.Client, u, contentType string, fullStack bool, body func([]byte) error) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusNotImplemented {
		return fmt.Errorf("GET %s: %w", u, ErrNotWired)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d, want 200 (body %.200q)", u, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); !sameMediaType(ct, contentType) {
		return fmt.Errorf("GET %s: Content-Type %q, want %q", u, ct, contentType)
	}
	if fullStack {
		if err := checkSecurityHeaders(resp.Header); err != nil {
			return fmt.Errorf("GET %s: %v", u, err)
		}
	}
	if err := body(b); err != nil {
		return fmt.Errorf("GET %s: %v", u, err)
	}
	return nil
}

func checkSecurityHeaders(h http.Header) error {
	for _, kv := range securityHeaders {
		if got := h.Get(kv[0]); got != kv[1] {
			return fmt.Errorf("header %s: %q, want %q", kv[0], got, kv[1])
		}
	}
	return nil
}

// hiddenInput finds the form page's CSRF field.
var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// FormToken returns the CSRF field name and token of a form page, as the load generator posts
// them.
func FormToken(page []byte) (field, token string, ok bool) {
	m := hiddenInput.FindSubmatch(page)
	if m == nil || len(m[2]) == 0 {
		return "", "", false
	}
	return string(m[1]), string(m[2]), true
}

var visitsText = regexp.MustCompile(`<p>Visits: ([0-9]+)</p>`)

// checkForm loads the form twice with a POST between: the counter must go 1, 2; the POST with
// the token must be redirected back; a POST without it and one with a wrong token must be
// refused with 403.
func checkForm(c *http.Client, base string, fullStack bool) error {
	u := base + FormPath
	getPage := func(wantVisits int) (field, token string, err error) {
		resp, err := c.Get(u)
		if err != nil {
			return "", "", err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return "", "", err
		}
		if resp.StatusCode == http.StatusNotImplemented {
			return "", "", fmt.Errorf("GET %s: %w", u, ErrNotWired)
		}
		if resp.StatusCode != http.StatusOK {
			return "", "", fmt.Errorf("GET %s: status %d, want 200 (body %.200q)", u, resp.StatusCode, b)
		}
		if ct := resp.Header.Get("Content-Type"); !sameMediaType(ct, contentHTML) {
			return "", "", fmt.Errorf("GET %s: Content-Type %q, want %q", u, ct, contentHTML)
		}
		if fullStack {
			if err := checkSecurityHeaders(resp.Header); err != nil {
				return "", "", fmt.Errorf("GET %s: %v", u, err)
			}
		}
		m := visitsText.FindSubmatch(b)
		if m == nil {
			return "", "", fmt.Errorf("GET %s: no visit counter in %.300q", u, b)
		}
		visits, _ := strconv.Atoi(string(m[1]))
		if visits != wantVisits {
			return "", "", fmt.Errorf("GET %s: visits %d, want %d (the session did not keep the counter)", u, visits, wantVisits)
		}
		field, token, ok := FormToken(b)
		if !ok {
			return "", "", fmt.Errorf("GET %s: no CSRF token in %.300q", u, b)
		}
		if !bytes.Equal(b, formPage(visits, field, token)) {
			return "", "", fmt.Errorf("GET %s: page differs from the common template: %.400q", u, b)
		}
		return field, token, nil
	}
	post := func(form url.Values, wantStatus int) error {
		req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotImplemented {
			return fmt.Errorf("POST %s: %w", u, ErrNotWired)
		}
		if resp.StatusCode != wantStatus {
			return fmt.Errorf("POST %s with %v: status %d, want %d (body %.200q)", u, form, resp.StatusCode, wantStatus, b)
		}
		if wantStatus == http.StatusSeeOther && resp.Header.Get("Location") != FormPath {
			return fmt.Errorf("POST %s: Location %q, want %q", u, resp.Header.Get("Location"), FormPath)
		}
		return nil
	}

	field, token, err := getPage(1)
	if err != nil {
		return err
	}
	if err := post(url.Values{field: {token}, "note": {"hi"}}, http.StatusSeeOther); err != nil {
		return err
	}
	if _, _, err := getPage(2); err != nil {
		return err
	}
	if err := post(url.Values{"note": {"no token"}}, http.StatusForbidden); err != nil {
		return err
	}
	// A token of the right length and alphabet with one character changed.
	bad := []byte(token)
	if i := len(bad) / 2; bad[i] == 'A' {
		bad[i] = 'B'
	} else {
		bad[i] = 'A'
	}
	return post(url.Values{field: {string(bad)}, "note": {"bad token"}}, http.StatusForbidden)
}
