package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/forewarn/forewarn"
	fwhttp "github.com/forewarn/forewarn/http"
)

func TestVersionAndSupport(t *testing.T) {
	want := forewarn.SupportInfo{Text: "Please call 988 today.", Number: "988", FollowUp: false}
	e := newEnv(t, fwhttp.Config{Support: want})
	var v forewarn.Version
	e.do("GET", "/v1/version", "", "").mustStatus(t, 200).json(t, &v)
	if v != forewarn.BuildVersion() {
		t.Errorf("version %+v, want %+v", v, forewarn.BuildVersion())
	}
	tests := []struct {
		key  string
		want int
	}{{publisherKey, 200}, {adminKey, 200}, {moderatorKey, 403}, {"", 401}}
	for _, tt := range tests {
		r := e.do("GET", "/v1/support", tt.key, "").mustStatus(t, tt.want)
		if tt.want != 200 {
			continue
		}
		var got forewarn.SupportInfo
		r.json(t, &got)
		if got != want {
			t.Errorf("support %+v, want %+v", got, want)
		}
	}
}

func TestAccessLog(t *testing.T) {
	var log syncBuffer
	e := newEnv(t, fwhttp.Config{AccessLog: &log})
	e.do("GET", "/healthz", "", "").mustStatus(t, 200)
	e.do("POST", "/v1/warnings", "", `{"text":"x"}`).mustStatus(t, 401)
	e.do("POST", "/v1/warnings", publisherKey, `{"text":"A quiet day."}`).mustStatus(t, 200)
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	want := []struct {
		method, path string
		status       int
	}{{"GET", "/healthz", 200}, {"POST", "/v1/warnings", 401}, {"POST", "/v1/warnings", 200}}
	if len(lines) != len(want) {
		t.Fatalf("access log has %d lines, want %d:\n%s", len(lines), len(want), log.String())
	}
	for i, w := range want {
		var got struct {
			Method, Path, Remote string
			Status               int
			Bytes                int64
		}
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if got.Method != w.method || got.Path != w.path || got.Status != w.status || got.Bytes == 0 || got.Remote != "127.0.0.1" {
			t.Errorf("line %d = %s, want %s %s %d", i, lines[i], w.method, w.path, w.status)
		}
		if strings.Contains(lines[i], publisherKey) {
			t.Errorf("line %d holds the key: %s", i, lines[i])
		}
	}
}
