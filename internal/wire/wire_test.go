package wire_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/wire"
	"github.com/problemkit/problemkit/problem"
)

// TestResponded tells a Responder's own problem from one a handler wrote.
func TestResponded(t *testing.T) {
	rs := &problem.Responder{HTML: true}
	for _, accept := range []string{"", "application/xml", "text/html"} {
		w, r := httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept", accept)
		require.NoError(t, rs.Respond(w, r, problem.New(http.StatusNotFound, "")))
		assert.True(t, wire.Responded(w.Header()), "Accept %q", accept)
		assert.False(t, wire.Responded(w.Header().Clone()), "a copy")
		w.Header().Set("Content-Type", w.Header().Get("Content-Type"))
		assert.False(t, wire.Responded(w.Header()), "a value set since")
	}
	own := http.Header{"Content-Type": {"application/problem+json"}, "Cache-Control": {"no-store"}}
	assert.False(t, wire.Responded(own), "a handler's own problem")
	assert.False(t, wire.Responded(http.Header{}))
}

// TestOneIsClipped: a value handed out has room for itself only, so that
// Add on a response's header cannot write over the value next to it.
func TestOneIsClipped(t *testing.T) {
	vals, err := wire.Shared()
	require.NoError(t, err)
	for i := range wire.CSP + 1 {
		v := vals.One(i)
		assert.Equal(t, []string{wire.Value(i)}, v)
		assert.Equal(t, 1, cap(v))
	}
}

// TestSetIntact: a Set is intact until a value it handed out is written
// into in place, whatever the write puts there, and Add on a header holding
// its values leaves it intact.
func TestSetIntact(t *testing.T) {
	tests := []struct {
		name  string
		write func(h http.Header)
		want  bool
	}{
		{"untouched", func(http.Header) {}, true},
		{"Add, Set and Del", func(h http.Header) {
			h.Add("Content-Language", "fr")
			h.Add("Vary", "Origin")
			h.Set("Content-Language", "fr")
			h.Del("Vary")
		}, true},
		{"a new value in place", func(h http.Header) { h["Content-Language"][0] = "fr" }, false},
		{"the same value, another string, in place", func(h http.Header) { h["Content-Language"][0] = strings.Clone("de") }, false},
		{"the second of a header's values in place", func(h http.Header) { h["Vary"][1] = "Origin" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := wire.NewSet(strings.Clone("de"), "Accept", "Accept-Language")
			h := http.Header{"Content-Language": s.One(0), "Vary": s.Span(1, 3)}
			tt.write(h)
			assert.Equal(t, tt.want, s.Intact())
			if tt.want {
				assert.Equal(t, []string{"de"}, s.One(0))
				assert.Equal(t, []string{"Accept", "Accept-Language"}, s.Span(1, 3))
			}
		})
	}
}

// TestRespondedAfterInPlaceWrite: a value of a problem response written
// into in place changes nothing about which responses are told problems:
// the written one still is, and so is every later one.
func TestRespondedAfterInPlaceWrite(t *testing.T) {
	rs, r := &problem.Responder{}, httptest.NewRequest("GET", "/", nil)
	for _, key := range []string{"Vary", "Content-Type"} {
		t.Run(key, func(t *testing.T) {
			written := httptest.NewRecorder()
			require.NoError(t, rs.Respond(written, r, problem.New(http.StatusNotFound, "")))
			written.Header()[key][0] = "Accept, Origin"
			for i := range 3 {
				w := httptest.NewRecorder()
				err := rs.Respond(w, r, problem.New(http.StatusNotFound, ""))
				if i > 0 {
					assert.NoError(t, err, "the write is reported once")
				}
				assert.True(t, wire.Responded(w.Header()), "response %d after the write", i)
				assert.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
				assert.Equal(t, "Accept", w.Header().Get("Vary"))
			}
			assert.True(t, wire.Responded(written.Header()), "the written response")
		})
	}
}

// TestSharedMovesOnOnceUnderConcurrency: responses written at the same time
// after an in-place write all get intact values, all are told problems, and
// the write is reported once. Run with -race.
func TestSharedMovesOnOnceUnderConcurrency(t *testing.T) {
	rs, r := &problem.Responder{}, httptest.NewRequest("GET", "/", nil)
	written := httptest.NewRecorder()
	require.NoError(t, rs.Respond(written, r, problem.New(http.StatusNotFound, "")))
	written.Header()["Cache-Control"][0] = "private"

	const n = 8
	errs, told := make(chan error, n), make(chan bool, n)
	start := make(chan struct{})
	for range n {
		go func() {
			<-start
			w := httptest.NewRecorder()
			errs <- rs.Respond(w, r, problem.New(http.StatusNotFound, ""))
			told <- wire.Responded(w.Header()) && w.Header().Get("Cache-Control") == "no-store"
		}()
	}
	close(start)
	reported := 0
	for range n {
		if <-errs != nil {
			reported++
		}
		assert.True(t, <-told)
	}
	assert.Equal(t, 1, reported, "the write reported once")
	assert.True(t, wire.Responded(written.Header()), "the written response")
}
