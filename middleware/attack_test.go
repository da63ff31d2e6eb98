package middleware_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/middleware"
)

// abortSelf is an error that wraps itself: looking for
// http.ErrAbortHandler in it must end.
type abortSelf struct{}

func (e *abortSelf) Error() string { return "self" }
func (e *abortSelf) Unwrap() error { return e }

// abortPanicky is an error whose Unwrap panics, as a typed nil's methods
// can.
type abortPanicky struct{}

func (*abortPanicky) Error() string { return "panicky" }
func (*abortPanicky) Unwrap() error { panic("unwrap") }

// TestAttackWrappedErrAbortHandlerAborts: Wrap tells recoverers further
// out to recognise an abort with errors.Is (its own abort wraps
// http.ErrAbortHandler), so it must honour the same test itself. A panic
// with an error that wraps http.ErrAbortHandler, such as a proxy's
// fmt.Errorf("copy: %w", http.ErrAbortHandler), aborts the response
// (conformance C8: the client sees the connection end, not a problem),
// and is passed on unchanged. Errors that do not wrap it, or whose chain
// cannot be read, are panics like any other: a 500 problem.
func TestAttackWrappedErrAbortHandlerAborts(t *testing.T) {
	wrapped := fmt.Errorf("copy body: %w", http.ErrAbortHandler)
	tests := []struct {
		name      string
		value     any
		wantAbort bool
	}{
		{name: "wrapped by fmt.Errorf", value: wrapped, wantAbort: true},
		{name: "in a join", value: errors.Join(errors.New("upstream reset"), http.ErrAbortHandler), wantAbort: true},
		{name: "an error that wraps itself", value: &abortSelf{}},
		{name: "an error whose Unwrap panics", value: &abortPanicky{}},
		{name: "the text alone", value: errors.New(http.ErrAbortHandler.Error())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var passed any
			ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
				inner := m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(tt.value) }))
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					defer func() {
						if passed = recover(); passed != nil {
							panic(passed)
						}
					}()
					inner.ServeHTTP(w, r)
				})
			})
			resp, err := ts.Client().Get(ts.URL)
			if !tt.wantAbort {
				require.NoError(t, err)
				_ = resp.Body.Close()
				assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
				assert.Nil(t, passed, "recovered")
				return
			}
			require.Error(t, err, "the client sees the connection abort, not a problem")
			assert.Same(t, tt.value, passed, "passed on unchanged")
			assert.Empty(t, ts.logs.String(), "an abort is not logged as a failure")
			assert.False(t, strings.Contains(ts.serverLog.String(), "superfluous"))
		})
	}
}
