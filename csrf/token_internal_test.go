package csrf

import (
	"strings"
	"testing"
)

// The spec's vectors (Django's tests): token → secret.
var unmaskVectors = []struct{ token, secret string }{
	{strings.Repeat("vFioG3XOLyGyGsPRFyB9iYUs341ufzIE", 2), strings.Repeat("a", 32)},
	{strings.Repeat("a", 64), strings.Repeat("a", 32)},
	{strings.Repeat("b", 64), strings.Repeat("a", 32)},
	{strings.Repeat("a", 32) + strings.Repeat("b", 32), strings.Repeat("b", 32)},
	{strings.Repeat("b", 32) + strings.Repeat("c", 32), strings.Repeat("b", 32)},
	{strings.Repeat("a", 32) + strings.Repeat("c", 32), strings.Repeat("c", 32)},
	{"1bcdefghij2bcdefghij3bcdefghij4bcdefghij5bcdefghij6bcdefghijABCD", "lcccccccX2kcccccccY2jcccccccssIC"},
	{"2JgchWvM1tpxT2lfz9aydoXW9yT1DN3NdLiejYxOOlzzV4nhBbYqmqZYbAV3V5Bf", "lcccccccX2kcccccccY2jcccccccssIC"},
}

func TestUnmaskVectors(t *testing.T) {
	for _, v := range unmaskVectors {
		if got := unmask(v.token); got != v.secret {
			t.Errorf("unmask(%s) = %s, want %s", v.token, got, v.secret)
		}
		if !matches(v.token, v.secret) {
			t.Errorf("matches(%s, %s) = false", v.token, v.secret)
		}
	}
}

func TestMaskExample(t *testing.T) {
	// The spec's worked example.
	var tok [TokenLength]byte
	copy(tok[:], "0123456789ABCDEFGHIJKLMNOPQRSTUV")
	maskInto(&tok, "abcdefghijklmnopqrstuvwxyzABCDEF")
	const want = "0123456789ABCDEFGHIJKLMNOPQRSTUV02468acegiKMOQSUWY02468acegikmoq"
	if string(tok[:]) != want {
		t.Fatalf("mask = %s, want %s", tok[:], want)
	}
}

func TestMaskRoundTrip(t *testing.T) {
	secret := newSecret()
	seen := map[string]bool{}
	for range 100 {
		tok := mask(secret)
		if len(tok) != TokenLength || checkFormat(tok, len(tok)) != "" {
			t.Fatalf("mask gave %q", tok)
		}
		if unmask(tok) != secret {
			t.Fatalf("unmask(mask(%s)) = %s", secret, unmask(tok))
		}
		if seen[tok] {
			t.Fatalf("mask repeated %s", tok)
		}
		seen[tok] = true
	}
}

func TestRandomCharacters(t *testing.T) {
	counts := map[byte]int{}
	for range 400 {
		s := newSecret()
		if len(s) != SecretLength || checkFormat(s, len(s)) != "" {
			t.Fatalf("newSecret gave %q", s)
		}
		for i := 0; i < len(s); i++ {
			counts[s[i]]++
		}
	}
	// 12800 draws over 62 characters: about 206 each; every one must appear, none dominate.
	if len(counts) != 62 {
		t.Fatalf("%d distinct characters, want 62", len(counts))
	}
	for c, n := range counts {
		if n < 100 || n > 330 {
			t.Errorf("character %q drawn %d times of 12800", c, n)
		}
	}
}

func TestCheckFormat(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{strings.Repeat("a", 32), 32, ""},
		{strings.Repeat("Z9", 32), 64, ""},
		{"", 0, reasonIncorrectLength},
		{strings.Repeat("a", 33), 33, reasonIncorrectLength},
		{strings.Repeat("a", 31) + "_", 32, reasonInvalidCharacters},
		{strings.Repeat("é", 32), 32, reasonInvalidCharacters},
		{strings.Repeat("é", 32), 64, reasonInvalidCharacters},
	} {
		if got := checkFormat(c.s, c.n); got != c.want {
			t.Errorf("checkFormat(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}

func TestCookieValue(t *testing.T) {
	for _, c := range []struct {
		header []string
		want   string
		found  bool
	}{
		{nil, "", false},
		{[]string{"a=1; csrftoken=abc; b=2"}, "abc", true},
		{[]string{"csrftoken=abc;csrftoken=def"}, "def", true}, // the last wins, as in Django
		{[]string{"csrftoken=abc", "csrftoken=xyz"}, "xyz", true},
		{[]string{` csrftoken = "quoted" `}, "quoted", true},
		{[]string{"xcsrftoken=abc; csrftoken2=def"}, "", false},
		{[]string{"csrftoken="}, "", true},
		{[]string{"csrftoken"}, "", false}, // a chunk without "=" is a value with an empty name
	} {
		h := map[string][]string{}
		if c.header != nil {
			h["Cookie"] = c.header
		}
		got, found := cookieValue(h, "csrftoken")
		if got != c.want || found != c.found {
			t.Errorf("cookieValue(%q) = %q, %v; want %q, %v", c.header, got, found, c.want, c.found)
		}
	}
}

func TestPythonTitle(t *testing.T) {
	for in, want := range map[string]string{
		"X-CSRFToken":  "X-Csrftoken",
		"X-CSRFTOKEN":  "X-Csrftoken",
		"x-xsrf-token": "X-Xsrf-Token",
		"x-2fa":        "X-2Fa",
	} {
		if got := pythonTitle(in); got != want {
			t.Errorf("pythonTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestURLSplit(t *testing.T) {
	for _, c := range []struct {
		in   string
		want splitURL
		ok   bool
	}{
		{"https://example.com/a?b=1#c", splitURL{"https", "example.com", "/a", "b=1", "c"}, true},
		{"HTTPS://Example.com:8443", splitURL{"https", "Example.com:8443", "", "", ""}, true},
		{"null", splitURL{path: "null"}, true},
		{"https://", splitURL{scheme: "https"}, true},
		{"//example.com/x", splitURL{netloc: "example.com", path: "/x"}, true},
		{"https://[::1]:8000/", splitURL{"https", "[::1]:8000", "/", "", ""}, true},
		{"https://[::1/", splitURL{}, false},
		{"https://[example.com]/", splitURL{}, false},
		{" \thttps://exa\nmple.com/", splitURL{"https", "example.com", "/", "", ""}, true},
		{"1http://example.com", splitURL{path: "1http://example.com"}, true},
	} {
		got, ok := urlSplit(c.in)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("urlSplit(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestIsSameDomain(t *testing.T) {
	for _, c := range []struct {
		host, pattern string
		want          bool
	}{
		{"example.com", "example.com", true},
		{"example.com", "EXAMPLE.com", true},
		{"sub.example.com", ".example.com", true},
		{"example.com", ".example.com", true},
		{"badexample.com", ".example.com", false},
		{"example.com:8000", ".example.com", false},
		{"example.com", "", false},
	} {
		if got := isSameDomain(c.host, c.pattern); got != c.want {
			t.Errorf("isSameDomain(%q, %q) = %v", c.host, c.pattern, got)
		}
	}
}
