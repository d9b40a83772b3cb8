package suggest

import (
	"fmt"
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"flaw", "lawn", 2}, {"DEBUG", "DEBUG", 0}, {"héllo", "hello", 1},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestNearest(t *testing.T) {
	if got, d := Nearest("x", nil, Distance); got != "" || d != -1 {
		t.Errorf("Nearest with no candidates = %q, %d; want \"\", -1", got, d)
	}
	// The first of two candidates at the same distance wins.
	if got, d := Nearest("cat", []string{"car", "bat", "cart"}, Distance); got != "car" || d != 1 {
		t.Errorf("Nearest(cat) = %q, %d; want car, 1", got, d)
	}
	// The caller's distance decides: here case is ignored.
	fold := func(w, c string) int { return Distance(strings.ToLower(w), strings.ToLower(c)) }
	if got, d := Nearest("Debug", []string{"DEBUGGER", "DEBUG"}, fold); got != "DEBUG" || d != 0 {
		t.Errorf("Nearest(Debug) ignoring case = %q, %d; want DEBUG, 0", got, d)
	}
}

func TestClosest(t *testing.T) {
	candidates := []string{"admin", "auth", "sessions", "blog"}
	tests := []struct {
		word string
		max  int
		want string
	}{
		{"blog", 2, "blog"},
		{"blgo", 2, "blog"},
		{"sesions", 2, "sessions"},
		{"auht", 2, "auth"},
		{"polls", 2, ""},
		{"sesions", 0, ""},
		{"", 2, ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.word, candidates, tt.max); got != tt.want {
			t.Errorf("Closest(%q, %d) = %q, want %q", tt.word, tt.max, got, tt.want)
		}
	}
	if got := Closest("x", nil, 2); got != "" {
		t.Errorf("Closest with no candidates = %q", got)
	}
}

func ExampleClosest() {
	fmt.Println(Closest("sesions", []string{"admin", "sessions"}, 2))
	fmt.Println(Closest("polls", []string{"admin", "sessions"}, 2) == "")
	// Output:
	// sessions
	// true
}
