package checks_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/canter-go/canter/checks"
	"github.com/canter-go/canter/settings"
)

func TestRunAndReport(t *testing.T) {
	list := []checks.Check{
		{Name: "a", Tags: []string{"security"}, Func: func(*checks.Context) []checks.Message {
			return []checks.Message{checks.Warning("app.W001", "a warning", "do this"), checks.Info("app.I001", "fyi", "")}
		}},
		{Name: "b", Tags: []string{"urls"}, Func: func(*checks.Context) []checks.Message {
			return []checks.Message{{Level: checks.LevelError, ID: "urls.E001", Text: "broken", Obj: "polls"}}
		}},
		{Name: "d", Deploy: true, Tags: []string{"security"}, Func: func(*checks.Context) []checks.Message {
			return []checks.Message{checks.Critical("security.C001", "deploy only", "")}
		}},
	}
	ctx := &checks.Context{Settings: settings.Defaults()}
	msgs := checks.Run(ctx, list, nil, nil)
	var ids []string
	for _, m := range msgs {
		ids = append(ids, m.ID)
	}
	if got := strings.Join(ids, " "); got != "urls.E001 app.W001 app.I001" {
		t.Errorf("ids %s (most severe first, deploy checks skipped)", got)
	}
	if !checks.Serious(msgs) {
		t.Error("an error is serious")
	}
	ctx.Deploy = true
	if msgs := checks.Run(ctx, list, []string{"security"}, []string{"app.I001"}); len(msgs) != 2 || msgs[0].ID != "security.C001" {
		t.Errorf("deploy+tag+silenced: %v", msgs)
	}
	want := "System check identified some issues:\n\nERRORS:\npolls: (urls.E001) broken\n\nWARNINGS:\n?: (app.W001) a warning\n\tHINT: do this\n\nINFOS:\n?: (app.I001) fyi\n\nSystem check identified 3 issues (0 silenced).\n"
	if got := checks.Report(msgs, 0); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
	if got := checks.Report(nil, 2); got != "System check identified no issues (2 silenced).\n" {
		t.Errorf("empty report %q", got)
	}
}

func ExampleReport() {
	msgs := []checks.Message{checks.Warning("security.W018", "You should not have DEBUG set to True in deployment.", "")}
	fmt.Print(checks.Report(msgs, 0))
	// Output:
	// System check identified some issues:
	//
	// WARNINGS:
	// ?: (security.W018) You should not have DEBUG set to True in deployment.
	//
	// System check identified 1 issue (0 silenced).
}
