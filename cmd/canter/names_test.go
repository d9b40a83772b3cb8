package main

import (
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		want string // part of the error; "" for a valid name
	}{
		{"mysite", ""},
		{"my_site", ""},
		{"site2", ""},
		{"polls", ""},
		{"a", ""},
		{"", "is empty"},
		{"MySite", `use lowercase letters, digits and underscores, starting with a letter, as Go package names do (such as "mysite")`},
		{"my-site", `(such as "my_site")`},
		{"2site", "starting with a letter"},
		{"_site", "starting with a letter"},
		{"my site", `(such as "my_site")`},
		{"héllo", "use lowercase letters"},
		{"my.site", `(such as "my_site")`},
		{"canter", "it is the name of one of Canter's packages"},
		{"urls", "it is the name of one of Canter's packages"},
		{"sessions", "it is the name of one of Canter's packages"},
		{"main", "it has a meaning for the go command"},
		{"test", "it has a meaning for the go command"},
		{"testdata", "it has a meaning for the go command"},
		{"vendor", "it has a meaning for the go command"},
		{"internal", "it has a meaning for the go command"},
		{"func", "it is a Go keyword"},
		{"type", "it is a Go keyword"},
		{"go", "it is a Go keyword"},
		{"string", "it is a predeclared Go identifier"},
		{"len", "it is a predeclared Go identifier"},
		{"http", "it is the name of a standard library package"},
		{"json", "it is the name of a standard library package"},
		{"template", "it is the name of a standard library package"},
		{"rand", "it is the name of a standard library package"},
		{"testing", "it is the name of a standard library package"},
		{"polls_test", "the suffix _test"},
		{"HTTP", `use lowercase letters`}, // "http" would be reserved: no suggestion
	}
	for _, tt := range tests {
		err := validateName("project", tt.name)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("validateName(%q) = %v, want nil", tt.name, err)
		case tt.want != "" && err == nil:
			t.Errorf("validateName(%q) = nil, want an error containing %q", tt.name, tt.want)
		case tt.want != "" && !strings.Contains(err.Error(), tt.want):
			t.Errorf("validateName(%q) = %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
	if err := validateName("project", "HTTP"); err != nil && strings.Contains(err.Error(), "such as") {
		t.Errorf("validateName(HTTP) suggests a reserved name: %v", err)
	}
	for _, name := range []string{"project", "home", "urlpatterns"} {
		if validateName("project", name) != nil || validateName("app", name) == nil {
			t.Errorf("%q should be a valid project name but not a valid app name", name)
		}
	}
	if err := validateName("app", "json"); err == nil || !strings.Contains(err.Error(), `valid app name`) || !strings.Contains(err.Error(), `"myjson"`) {
		t.Errorf("validateName(app, json) = %v, want it to name the kind and suggest myjson", err)
	}
}

func TestValidateModule(t *testing.T) {
	tests := []struct {
		path string
		ok   bool
	}{
		{"mysite", true},
		{"example.com/mysite", true},
		{"github.com/someone/my-site", true},
		{"example.com/a/b/c_d~e", true},
		{"", false},
		{"/mysite", false},
		{"mysite/", false},
		{"example.com//mysite", false},
		{"example.com/../mysite", false},
		{"example.com/./mysite", false},
		{".hidden/x", false},
		{"my site", false},
		{`quote"d`, false},
		{"net/mysite", false},    // inside the standard library's namespace
		{"crypto/mysite", false}, // likewise
		{"std", false},
	}
	for _, tt := range tests {
		err := validateModule(tt.path)
		if (err == nil) != tt.ok {
			t.Errorf("validateModule(%q) = %v, want ok=%v", tt.path, err, tt.ok)
		}
	}
}
