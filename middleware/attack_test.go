package middleware_test

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
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
			passed := make(chan any, 1) // what reaches the recoverer outside Wrap
			ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
				inner := m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(tt.value) }))
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					defer func() {
						v := recover()
						passed <- v
						if v != nil {
							panic(v)
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
				assert.Nil(t, <-passed, "recovered")
				return
			}
			require.Error(t, err, "the client sees the connection abort, not a problem")
			assert.Same(t, tt.value, <-passed, "passed on unchanged")
			assert.Empty(t, ts.logs.String(), "an abort is not logged as a failure")
			assert.False(t, strings.Contains(ts.serverLog.String(), "superfluous"))
		})
	}
}

// TestAttackServeMuxMethods: OPTIONS and other methods a ServeMux route
// lacks become 405 problems with the mux's Allow (RFC 9110 §15.5.6; C2);
// HEAD gets the status and headers of GET, Content-Length included, and no
// body (RFC 9110 §9.3.2, §8.6; B9), for the mux's 404 and a handler's
// problem alike.
func TestAttackServeMuxMethods(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("GET /items/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(http.StatusNotFound, "item "+r.PathValue("id")+" <does not> exist")
		}))
		mux.HandleFunc("POST /items/{id}", func(w http.ResponseWriter, r *http.Request) {})
		return m.Wrap(mux)
	})
	const (
		notAllowed = `{"type":"about:blank","title":"Method Not Allowed","status":405}`
		noItem     = `{"type":"about:blank","title":"Not Found","status":404,"detail":"item 7 \u003cdoes not\u003e exist"}`
		noRoute    = `{"type":"about:blank","title":"Not Found","status":404}`
	)
	for _, tt := range []struct {
		method, path string
		status       int
		allow        []string
		body         string // GET's body; HEAD gets none, with its length
	}{
		{http.MethodOptions, "/items/7", http.StatusMethodNotAllowed, []string{"GET, HEAD, POST"}, notAllowed},
		{http.MethodDelete, "/items/7", http.StatusMethodNotAllowed, []string{"GET, HEAD, POST"}, notAllowed},
		{http.MethodGet, "/items/7", http.StatusNotFound, nil, noItem},
		{http.MethodHead, "/items/7", http.StatusNotFound, nil, noItem},
		{http.MethodHead, "/nothing", http.StatusNotFound, nil, noRoute},
	} {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			resp, body := ts.do(t, tt.method, tt.path, nil)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.allow, resp.Header["Allow"])
			assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
			assert.Equal(t, strconv.Itoa(len(tt.body)), resp.Header.Get("Content-Length"))
			if tt.method == http.MethodHead {
				assert.Empty(t, body)
			} else {
				assert.Equal(t, tt.body, body)
			}
		})
	}
}

// TestAttackAcceptLanguageHostile: an Accept-Language that is not UTF-8,
// that refuses every language, or that names a language only after 2 KiB
// of junk gets the base language, with Content-Language and Vary as for
// any other request (RFC 9110 §12.5.4, §12.5.5), and never a panic.
func TestAttackAcceptLanguageHostile(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses": [{"code": 404, "phrase": "Not Found"}]}`))
	require.NoError(t, err)
	cat, err = cat.WithTranslation(strings.NewReader(`{"language": "de", "statuses": [{"code": 404, "phrase": "Nicht gefunden"}]}`))
	require.NoError(t, err)
	ts := newServer(t, &middleware.Options{Catalog: cat, Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(http.StatusNotFound, "") })
	})
	for _, tt := range []struct {
		name, value, lang, title string
	}{
		{"not UTF-8", "\xff\xfe;q=1, de;q=0.5", "de", "Nicht gefunden"},
		{"only bytes that are not UTF-8", "\xff\xfe", "en", "Not Found"},
		{"every language refused", "en;q=0, de;q=0, *;q=0", "en", "Not Found"},
		{"a wildcard after a refusal", "de;q=0, *", "en", "Not Found"},
		{"a q beyond 1", "de;q=7", "de", "Nicht gefunden"},
		{"the language after 2 KiB of junk", strings.Repeat("xx-yy, ", 300) + "de", "en", "Not Found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := ts.do(t, http.MethodGet, "/", nil, "Accept-Language", tt.value)
			assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			assert.Equal(t, []string{tt.lang}, resp.Header["Content-Language"])
			assert.Equal(t, []string{"Accept", "Accept-Language"}, resp.Header["Vary"])
			assert.Equal(t, `{"type":"about:blank","title":"`+tt.title+`","status":404}`, body)
		})
	}
}

// TestAttackPanicAfterReplacedBareError: a bare error longer than Wrap
// holds back is replaced by its problem as soon as it grows past the
// limit, and that problem, which Wrap wrote itself, is whole. A panic after
// that is logged as lost; it must not abort the response (Wrap aborts to
// keep a cut body from looking whole), which would take the whole problem
// with it: the client got nothing at all.
func TestAttackPanicAfterReplacedBareError(t *testing.T) {
	passed := make(chan any, 1) // what reaches the recoverer outside Wrap
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		inner := m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, strings.Repeat("x", 9000), http.StatusBadRequest) // past the 8 KiB held back
			panic("after the error")
		}))
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				passed <- v
				if v != nil {
					panic(v)
				}
			}()
			inner.ServeHTTP(w, r)
		})
	})
	resp, body := ts.do(t, http.MethodGet, "/", nil)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	assert.Equal(t, `{"type":"about:blank","title":"Bad Request","status":400}`, body)
	assert.Nil(t, <-passed, "nothing to abort")
	recs := ts.logs.Records(t)
	require.Len(t, recs, 2, "the bare error, then the panic")
	assert.Equal(t, "error after the response was committed", recs[1]["msg"])
	assert.Equal(t, "panic: after the error", recs[1]["error"])
	assert.Contains(t, recs[1]["stack"], "goroutine ")
	assert.Empty(t, ts.serverLog.String(), "net/http saw no panic")
}
