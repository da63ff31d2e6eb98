package wire_test

import (
	"net/http"
	"net/http/httptest"
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
