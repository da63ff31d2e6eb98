package middleware_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

func TestHandleWritesReturnedErrors(t *testing.T) {
	ts := newServer(t, &middleware.Options{
		Mappers: []problem.Mapper{problem.MapIs(sql.ErrNoRows, problem.Type{Status: http.StatusNotFound})},
	}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("GET /problem", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(http.StatusConflict, "version 3 is stale")
		}))
		mux.Handle("GET /mapped", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return fmt.Errorf("load item: %w", sql.ErrNoRows)
		}))
		mux.Handle("GET /internal", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return errors.New("pq: relation items does not exist")
		}))
		mux.Handle("GET /ok", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			_, err := w.Write([]byte("fine"))
			return err
		}))
		return mux
	})

	resp, body := ts.do(t, "GET", "/problem", nil)
	assert.Equal(t, 409, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409,"detail":"version 3 is stale","instance":"/problem"}`, body)

	resp, body = ts.do(t, "GET", "/mapped", nil)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404,"instance":"/mapped"}`, body)

	resp, body = ts.do(t, "GET", "/internal", nil)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/internal"}`, body)
	assert.NotContains(t, body, "pq:")

	resp, body = ts.do(t, "GET", "/ok", nil)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "fine", body)

	recs := ts.logs.Records(t)
	require.Len(t, recs, 3, "one record per error, none for success")
	assert.Equal(t, "DEBUG", recs[0]["level"])
	assert.Equal(t, "ERROR", recs[2]["level"])
	assert.Equal(t, "pq: relation items does not exist", recs[2]["error"], "the cause goes to the log")
	assert.Equal(t, "GET", recs[2]["method"])
	assert.Equal(t, "/internal", recs[2]["path"])
	assert.EqualValues(t, 500, recs[2]["status"])
}

func TestExposeErrors(t *testing.T) {
	ts := newServer(t, &middleware.Options{ExposeErrors: true, Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return fmt.Errorf("load: %w", errors.New("pq: relation items does not exist"))
		})
	})
	_, body := ts.do(t, "GET", "/", nil)
	assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"load: pq: relation items does not exist"}`, body)
}

func TestPanics(t *testing.T) {
	for _, expose := range []bool{false, true} {
		t.Run(fmt.Sprint("expose=", expose), func(t *testing.T) {
			ts := newServer(t, &middleware.Options{ExposeErrors: expose, Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
				mux := http.NewServeMux()
				mux.HandleFunc("/value", func(w http.ResponseWriter, r *http.Request) { panic("secret: db password is hunter2") })
				mux.HandleFunc("/problem", func(w http.ResponseWriter, r *http.Request) { panic(problem.New(403, "not yours")) })
				mux.HandleFunc("/nil", func(w http.ResponseWriter, r *http.Request) {
					var m map[string]int
					//lint:ignore SA5000 the runtime.Error of a nil map write is the panic under test
					m["x"]++
				})
				return m.Wrap(mux)
			})
			resp, body := ts.do(t, "GET", "/value", nil)
			p := decode(t, resp, body)
			assert.Equal(t, 500, p.Status)
			if expose {
				assert.Equal(t, "panic: secret: db password is hunter2", p.Detail)
				assert.Contains(t, body, "goroutine ")
			} else {
				assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500}`, body)
			}

			resp, body = ts.do(t, "GET", "/problem", nil)
			assert.Equal(t, 403, resp.StatusCode, "a panic with an error resolves like the error")
			assert.Equal(t, `{"type":"about:blank","title":"Forbidden","status":403,"detail":"not yours"}`, body)

			resp, body = ts.do(t, "GET", "/nil", nil)
			assert.Equal(t, 500, resp.StatusCode)
			assert.Equal(t, expose, strings.Contains(body, "assignment to entry in nil map"))

			logs := ts.logs.String()
			assert.Contains(t, logs, "secret: db password is hunter2", "the panic value is logged")
			assert.Contains(t, logs, "goroutine ", "with its stack")
			assert.Empty(t, ts.serverLog.String(), "net/http saw no panic")
		})
	}
}

func TestErrAbortHandlerIsRepanicked(t *testing.T) {
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			panic(http.ErrAbortHandler)
		}))
	})
	_, err := ts.Client().Get(ts.URL)
	require.Error(t, err, "the client sees the connection abort, not a problem")
	assert.Empty(t, ts.logs.String())
}

func TestPanicAfterCommitAborts(t *testing.T) {
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			_, _ = w.Write([]byte(strings.Repeat("x", 10)))
			http.NewResponseController(w).Flush()
			panic("late")
		}))
	})
	resp, err := ts.Client().Get(ts.URL)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
	}
	assert.Error(t, err, "a body cut off by a panic must not look whole")
	recs := ts.logs.Records(t)
	require.Len(t, recs, 1)
	assert.Equal(t, "error after the response was committed", recs[0]["msg"])
	assert.Equal(t, "panic: late", recs[0]["error"])
	assert.Contains(t, recs[0]["stack"], "goroutine ")
}

func TestCommittedResponsesAreLeftAlone(t *testing.T) {
	var events sync.Map
	ts := newServer(t, &middleware.Options{OnError: func(r *http.Request, p *problem.Problem, err error) {
		events.Store(r.URL.Path, p)
	}}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/written", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte("x"))
			return errors.New("too late")
		}))
		mux.Handle("/header-only", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.WriteHeader(http.StatusAccepted)
			return problem.New(400, "too late")
		}))
		mux.Handle("/twice", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.WriteHeader(http.StatusOK)
			w.WriteHeader(http.StatusTeapot)
			return nil
		}))
		return mux
	})
	resp, body := ts.do(t, "GET", "/written", nil)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "x", body)
	resp, body = ts.do(t, "GET", "/header-only", nil)
	assert.Equal(t, 202, resp.StatusCode)
	assert.Empty(t, body)
	resp, _ = ts.do(t, "GET", "/twice", nil)
	assert.Equal(t, 200, resp.StatusCode)

	recs := ts.logs.Records(t)
	require.Len(t, recs, 2, "each lost error is logged once")
	assert.Equal(t, "error after the response was committed", recs[0]["msg"])
	assert.Equal(t, "too late", recs[0]["error"])
	assert.EqualValues(t, 201, recs[0]["status"])
	assert.EqualValues(t, 202, recs[1]["status"])
	assert.NotContains(t, ts.serverLog.String(), "superfluous", "no superfluous WriteHeader, ever")
	p, ok := events.Load("/written")
	assert.True(t, ok)
	assert.Nil(t, p, "OnError gets no problem when nothing was sent")
}

// TestErrorAfterTimeoutHandlerAnswered: once http.TimeoutHandler has sent
// its 503, a handler inside it that returns an error finds its writer
// refusing everything (http.ErrHandlerTimeout). The error is lost, as one
// after any other committed response: logged as such, once, with no
// problem claimed as sent, nor as "request failed" with a status the
// client never got, and OnError gets a nil problem.
func TestErrorAfterTimeoutHandlerAnswered(t *testing.T) {
	type event struct {
		p   *problem.Problem
		err error
	}
	events := make(chan event, 2)
	returned := make(chan struct{})
	ts := newServer(t, &middleware.Options{OnError: func(r *http.Request, p *problem.Problem, err error) {
		events <- event{p, err}
	}}, func(m *middleware.Middleware) http.Handler {
		return http.TimeoutHandler(m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			defer close(returned)
			<-r.Context().Done() // the timeout has answered
			time.Sleep(10 * time.Millisecond)
			return errors.New("db slow")
		}), 10*time.Millisecond, "timed out")
	})
	resp, body := ts.do(t, "GET", "/x", nil)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, "timed out", body)
	<-returned
	ev := <-events
	assert.Nil(t, ev.p, "nothing of the problem was sent")
	assert.EqualError(t, ev.err, "db slow")

	recs := ts.logs.Records(t)
	require.Len(t, recs, 1, "one record: %v", recs)
	assert.Equal(t, "error after the response was committed", recs[0]["msg"])
	assert.Equal(t, "ERROR", recs[0]["level"])
	assert.Equal(t, "db slow", recs[0]["error"])
	assert.NotContains(t, recs[0], "status", "the status sent is not known")
}

func TestStatusZeroIsA500(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(0, "no status")
		})
	})
	resp, body := ts.do(t, "GET", "/", nil)
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500}`, body)
	assert.Contains(t, ts.logs.String(), "status 0 cannot be sent as a problem")
	recs := ts.logs.Records(t)
	require.NotEmpty(t, recs)
	assert.Equal(t, "ERROR", recs[0]["level"])
	assert.EqualValues(t, 500, recs[0]["status"], "the log names the status sent")
	assert.Empty(t, ts.serverLog.String())
}

func TestContextErrors(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/deadline", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			ctx, cancel := context.WithTimeout(r.Context(), time.Millisecond)
			defer cancel()
			<-ctx.Done()
			return fmt.Errorf("query: %w", ctx.Err())
		}))
		mux.Handle("/canceled-inside", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return fmt.Errorf("worker: %w", context.Canceled)
		}))
		mux.Handle("/canceled-beside-a-400", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			if r.URL.Query().Has("reversed") {
				return errors.Join(problem.New(400, "bad"), context.Canceled)
			}
			return errors.Join(context.Canceled, problem.New(400, "bad"))
		}))
		mux.Handle("/499", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(499, "")
		}))
		return mux
	})
	resp, body := ts.do(t, "GET", "/deadline", nil)
	assert.Equal(t, 504, resp.StatusCode)
	assert.Equal(t, `{"type":"about:blank","title":"Gateway Timeout","status":504}`, body)

	resp, body = ts.do(t, "GET", "/canceled-inside", nil)
	assert.Equal(t, 500, resp.StatusCode, "a cancellation the client did not cause is a server error")
	assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500}`, body)

	for _, path := range []string{"/canceled-beside-a-400", "/canceled-beside-a-400?reversed"} {
		resp, body = ts.do(t, "GET", path, nil)
		assert.Equal(t, 500, resp.StatusCode, "%s: a cancellation inside outranks a client error", path)
		assert.Equal(t, `{"type":"about:blank","title":"Internal Server Error","status":500}`, body, path)
	}

	resp, body = ts.do(t, "GET", "/499", nil)
	assert.Equal(t, 499, resp.StatusCode, "a 499 problem of the handler's own is sent")
	assert.Equal(t, `{"type":"about:blank","title":"Client Error","status":499}`, body)
}

func TestCorrelationAndInstance(t *testing.T) {
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			if r.URL.Query().Get("own") != "" {
				return problem.New(404, "").WithExtension("correlationId", "mine")
			}
			return problem.New(404, "")
		})
	})
	_, body := ts.do(t, "GET", "/items/a%20b/x", nil, "Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404,"instance":"/items/a%20b/x","correlationId":"4bf92f3577b34da6a3ce929d0e0e4736"}`, body)

	_, body = ts.do(t, "GET", "/", nil, "X-Request-Id", "req-42")
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404,"instance":"/","correlationId":"req-42"}`, body)

	_, body = ts.do(t, "GET", "/", nil, "X-Request-Id", "bad id with spaces")
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404,"instance":"/"}`, body)

	_, body = ts.do(t, "GET", "/?own=1", nil, "X-Request-Id", "req-42")
	assert.Contains(t, body, `"correlationId":"mine"`, "a problem's own member is kept")
}

// TestCorrelationKeepsTypeCode: the code a problem carries from its type,
// outside Extensions, is its own member too, and a correlation id of the
// same name does not replace it; a member of another name is added.
func TestCorrelationKeepsTypeCode(t *testing.T) {
	tests := []struct {
		name, member string
		p            *problem.Problem
		want         string
	}{
		{"code", "code", problem.Type{Status: 409, Code: "C1"}.New(""),
			`{"type":"about:blank","title":"Conflict","status":409,"code":"C1"}`},
		{"a code member of its own name", "errorCode", problem.Type{Status: 409, Code: "C1", CodeMember: "errorCode"}.New(""),
			`{"type":"about:blank","title":"Conflict","status":409,"errorCode":"C1"}`},
		{"another name", "correlationId", problem.Type{Status: 409, Code: "C1"}.New(""),
			`{"type":"about:blank","title":"Conflict","status":409,"code":"C1","correlationId":"req-42"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := middleware.New(&middleware.Options{Logger: discardLogger(), CorrelationMember: tt.member, Instance: func(*http.Request) string { return "" }})
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("X-Request-Id", "req-42")
			m.Handle(func(w http.ResponseWriter, r *http.Request) error { return tt.p }).ServeHTTP(rec, req)
			assert.Equal(t, tt.want, rec.Body.String())
		})
	}
}

func TestCorrelationID(t *testing.T) {
	for tp, want := range map[string]string{
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01":      "4bf92f3577b34da6a3ce929d0e0e4736",
		"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more": "4bf92f3577b34da6a3ce929d0e0e4736",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more": "",
		"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01":      "",
		"00-00000000000000000000000000000000-00f067aa0ba902b7-01":      "",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01":      "",
		"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01":      "",
		"00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01":      "",
		"garbage": "",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Traceparent", tp)
		assert.Equal(t, want, middleware.CorrelationID(r), "traceparent %q", tp)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Request-Id", strings.Repeat("a", 129))
	assert.Empty(t, middleware.CorrelationID(r), "too long")
}

func TestDefaultChallenge(t *testing.T) {
	ts := newServer(t, &middleware.Options{Challenge: `Bearer realm="api"`, Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/none", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(401, "")
		}))
		mux.Handle("/own", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(401, "").WithAuthenticate(`Basic realm="x"`)
		}))
		mux.Handle("/stack", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("WWW-Authenticate", `Digest realm="y"`)
			return problem.New(401, "")
		}))
		mux.Handle("/dropped", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.New(401, "").WithAuthenticate("Basic\r\nSet-Cookie: a=b")
		}))
		return mux
	})
	resp, _ := ts.do(t, "GET", "/none", nil)
	assert.Equal(t, []string{`Bearer realm="api"`}, resp.Header.Values("WWW-Authenticate"))
	resp, _ = ts.do(t, "GET", "/own", nil)
	assert.Equal(t, []string{`Basic realm="x"`}, resp.Header.Values("WWW-Authenticate"))
	resp, _ = ts.do(t, "GET", "/stack", nil)
	assert.Equal(t, []string{`Digest realm="y"`}, resp.Header.Values("WWW-Authenticate"))
	resp, _ = ts.do(t, "GET", "/dropped", nil)
	assert.Equal(t, []string{`Bearer realm="api"`}, resp.Header.Values("WWW-Authenticate"), "the default, for a challenge dropped as invalid")
	assert.Empty(t, resp.Header.Values("Set-Cookie"))
}

// TestWarnsOfWhatIsMissing: a response the RFCs say is incomplete (a 405
// without Allow, a 407 without Proxy-Authenticate), or a type that is not a
// URI reference, is still sent, and logged at Warn, naming what is wrong.
func TestWarnsOfWhatIsMissing(t *testing.T) {
	tests := []struct {
		name    string
		problem *problem.Problem
		want    string
	}{
		{"405", problem.New(405, ""), "a 405 response must carry Allow"},
		{"405 whose Allow is dropped", problem.New(405, "").WithAllow("GET\x00"), "a 405 response must carry Allow"},
		{"407", problem.New(407, ""), "a 407 response must carry Proxy-Authenticate"},
		{"type", problem.Type{URI: "out of credit", Status: 403}.New(""), `type "out of credit" is not a URI reference`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler {
				return m.Handle(func(w http.ResponseWriter, r *http.Request) error { return tt.problem })
			})
			resp, _ := ts.do(t, "GET", "/", nil)
			assert.Equal(t, tt.problem.Status, resp.StatusCode, "sent all the same")
			var warned []string
			for _, rec := range ts.logs.Records(t) {
				if rec["level"] == "WARN" {
					warned = append(warned, fmt.Sprint(rec["error"]))
				}
			}
			require.Len(t, warned, 1, "%s", ts.logs)
			assert.Contains(t, warned[0], tt.want)
		})
	}
}

func TestNewPanicsOnBadOptions(t *testing.T) {
	for _, challenge := range []string{"Bearer\r\nX: y", "Bearer\x01"} {
		assert.PanicsWithValue(t, "middleware: Challenge holds a control character", func() {
			middleware.New(&middleware.Options{Challenge: challenge})
		})
	}
	for _, challenge := range []string{"=x", `"realm"`, `realm="api"`, " "} {
		assert.PanicsWithValue(t, "middleware: Challenge "+strconv.Quote(challenge)+" holds no challenge (RFC 9110 §11.6.1: it starts with an auth-scheme)", func() {
			middleware.New(&middleware.Options{Challenge: challenge})
		}, "%q", challenge)
	}
	assert.NotPanics(t, func() { middleware.New(&middleware.Options{Challenge: `Basic realm="api", charset="UTF-8"`}) })
	for _, name := range []string{"status", "Status", "TYPE", "ſtatus"} {
		// encoding/json matches keys to fields without regard to case
		assert.PanicsWithValue(t, "middleware: CorrelationMember "+name+" would shadow a standard member", func() {
			middleware.New(&middleware.Options{CorrelationMember: name})
		})
	}
	assert.NotPanics(t, func() { middleware.New(nil) })
}

func TestWriteErrorOutsideWrap(t *testing.T) {
	m := middleware.New(&middleware.Options{Logger: discardLogger(), Instance: noInstance})
	rec := httptest.NewRecorder()
	m.WriteError(rec, httptest.NewRequest("GET", "/", nil), problem.New(418+4, "bad"))
	assert.Equal(t, 422, rec.Code)
	assert.Equal(t, `{"type":"about:blank","title":"Unprocessable Content","status":422,"detail":"bad"}`, rec.Body.String())

	rec = httptest.NewRecorder()
	m.WriteError(rec, httptest.NewRequest("GET", "/", nil), nil)
	assert.Equal(t, 200, rec.Code)
	assert.Empty(t, rec.Body.String(), "nil is no error")
}

func TestOnError(t *testing.T) {
	type event struct {
		status        int
		title, detail string
		err           string
	}
	var mu sync.Mutex
	var got []event
	ts := newServer(t, &middleware.Options{OnError: func(r *http.Request, p *problem.Problem, err error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, event{p.Status, p.Title, p.Detail, err.Error()})
	}}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/err", m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(409, "") }))
		mux.Handle("/ok-status", m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(200, "fine") }))
		mux.Handle("/internal", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			return problem.Newf(502, "db: %w", errors.New("password=hunter2"))
		}))
		mux.HandleFunc("/bare", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nope", 400) })
		mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
		return m.Wrap(mux)
	})
	for _, path := range []string{"/err", "/bare", "/panic", "/missing", "/ok-status", "/internal"} {
		ts.do(t, "GET", path, nil)
	}
	mu.Lock()
	defer mu.Unlock()
	// p is the problem as sent: a refused status is a 500, internal text
	// is not in the detail, the title is filled in.
	assert.Equal(t, []event{
		{409, "Conflict", "", "409 Conflict"},
		{400, "Bad Request", "nope", "bare 400 response: nope"},
		{500, "Internal Server Error", "", "panic: boom"},
		{404, "Not Found", "", "bare 404 response: 404 page not found"},
		{500, "Internal Server Error", "", "200 OK: fine"},
		{502, "Bad Gateway", "", "502 Bad Gateway: db: password=hunter2"},
	}, got)
}

// TestOnErrorGetsTheProblemAsSent: the problem OnError gets is the one
// whose bytes went out, prepared once (Prepare of it changes nothing), and
// the handler's problem is left as it was. A problem the handler prepared
// itself is sent as it is.
func TestOnErrorGetsTheProblemAsSent(t *testing.T) {
	exposed, err := (&problem.Responder{ExposeErrors: true}).Prepare(problem.Newf(http.StatusBadGateway, "db: %w", errors.New("down")))
	require.NoError(t, err)
	tests := []struct {
		name string
		p    *problem.Problem
		want string
	}{
		{"a title filled in", problem.New(http.StatusConflict, "stale"),
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"stale"}`},
		{"a refused status", problem.New(http.StatusOK, "fine"),
			`{"type":"about:blank","title":"Internal Server Error","status":500}`},
		{"internal text left out", problem.Newf(http.StatusBadGateway, "db: %w", errors.New("password=hunter2")),
			`{"type":"about:blank","title":"Bad Gateway","status":502}`},
		{"an about:blank title replaced", &problem.Problem{Title: "Gone away", Status: http.StatusGone, Extensions: map[string]any{"n": 1}},
			`{"type":"about:blank","title":"Gone","status":410,"n":1}`},
		{"prepared by the handler", &exposed,
			`{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"db: down"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := *tt.p
			var reported, again *problem.Problem
			var perr error
			m := middleware.New(&middleware.Options{Logger: discardLogger(), Instance: noInstance, OnError: func(r *http.Request, p *problem.Problem, _ error) {
				sent := *p // OnError must not keep p
				reported = &sent
				prepared, err := (&problem.Responder{ExposeErrors: true}).Prepare(p)
				again, perr = &prepared, err
			}})
			w := httptest.NewRecorder()
			m.Handle(func(http.ResponseWriter, *http.Request) error { return tt.p }).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
			assert.Equal(t, tt.want, w.Body.String())
			require.NotNil(t, reported, "OnError was called")
			b, _ := reported.AppendJSON(nil)
			assert.Equal(t, tt.want, string(b), "OnError's problem is the one sent")
			assert.NoError(t, perr)
			assert.Equal(t, reported, again, "Prepare of the problem as sent returns it as it is")
			assert.Equal(t, before, *tt.p, "the handler's problem is left alone")
		})
	}
}

// TestSelfReferentialErrors: such errors are 500s, whether exposed or not,
// written or lost, and the request ends.
func TestSelfReferentialErrors(t *testing.T) {
	for _, expose := range []bool{false, true} {
		var calls atomic.Int32
		ts := newServer(t, &middleware.Options{ExposeErrors: expose, OnError: func(*http.Request, *problem.Problem, error) { calls.Add(1) }},
			func(m *middleware.Middleware) http.Handler {
				mux := http.NewServeMux()
				mux.Handle("/wrap", m.Handle(func(w http.ResponseWriter, r *http.Request) error { return &testkit.SelfWrap{} }))
				mux.Handle("/join", m.Handle(func(w http.ResponseWriter, r *http.Request) error { return &testkit.SelfJoin{} }))
				mux.Handle("/lost", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
					w.WriteHeader(http.StatusAccepted)
					return &testkit.SelfJoin{}
				}))
				return mux
			})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for _, path := range []string{"/wrap", "/join"} {
				resp, body := ts.do(t, "GET", path, nil)
				assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, path)
				assert.Equal(t, expose, strings.Contains(body, "self"), "%s: text only when exposed", path)
			}
			resp, _ := ts.do(t, "GET", "/lost", nil)
			assert.Equal(t, http.StatusAccepted, resp.StatusCode)
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatal("a request did not end")
		}
		assert.Equal(t, int32(3), calls.Load())
	}
}

// panicky is an error whose Error method panics.
type panicky struct{}

func (panicky) Error() string { panic("Error broke") }

// nilDeref is an error whose methods dereference their receiver: a nil
// *nilDeref panics in them.
type nilDeref struct {
	msg   string
	inner error
}

func (e *nilDeref) Error() string { return e.msg }
func (e *nilDeref) Unwrap() error { return e.inner }

var errTrigger = errors.New("trigger")

// TestPanicsWhileHandlingAnError: a panic in the middleware's own work on
// an error (a mapper, a callback, an error's methods) never escapes: the
// client gets a 500 problem, and the log has both panics.
func TestPanicsWhileHandlingAnError(t *testing.T) {
	const plain500 = `{"type":"about:blank","title":"Internal Server Error","status":500}`
	boom := func(what string) func(*http.Request) string { return func(*http.Request) string { panic(what) } }
	panicking := func(v any) func(*middleware.Middleware) http.Handler {
		return func(m *middleware.Middleware) http.Handler {
			return m.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(v) }))
		}
	}
	returning := func(err error) func(*middleware.Middleware) http.Handler {
		return func(m *middleware.Middleware) http.Handler {
			return m.Handle(func(http.ResponseWriter, *http.Request) error { return err })
		}
	}
	var typedNil *nilDeref
	for _, tc := range []struct {
		name   string
		opts   middleware.Options
		build  func(*middleware.Middleware) http.Handler
		status int
		body   string
		logs   []string // in the record of the second panic
	}{
		{
			name: "mapper, recovering a panic",
			opts: middleware.Options{Mappers: []problem.Mapper{func(err error) *problem.Problem {
				if err == errTrigger {
					panic("mapper broke")
				}
				return nil
			}}},
			build:  panicking(errTrigger),
			status: 500, body: plain500,
			logs: []string{"panic: trigger", "mapper broke"},
		},
		{
			name:   "Instance, recovering a panic",
			opts:   middleware.Options{Instance: boom("instance broke")},
			build:  panicking("first"),
			status: 500, body: plain500,
			logs: []string{"panic: first", "instance broke"},
		},
		{
			name:   "Correlation",
			opts:   middleware.Options{Correlation: boom("correlation broke")},
			build:  returning(problem.New(http.StatusNotFound, "")),
			status: 500, body: plain500,
			logs: []string{"404 Not Found", "correlation broke"},
		},
		{
			name:   "OnError, after the problem is sent",
			opts:   middleware.Options{OnError: func(*http.Request, *problem.Problem, error) { panic("metrics broke") }},
			build:  returning(problem.New(http.StatusNotFound, "")),
			status: 404, body: `{"type":"about:blank","title":"Not Found","status":404}`,
			logs: []string{"404 Not Found", "metrics broke"},
		},
		{
			name:   "Enrich",
			opts:   middleware.Options{Enrich: func(*http.Request, *problem.Problem, error) { panic("enrich broke") }},
			build:  returning(problem.New(http.StatusNotFound, "")),
			status: 500, body: plain500,
			logs: []string{"404 Not Found", "enrich broke"},
		},
		{
			name:   "a panic with a typed nil",
			build:  panicking(typedNil),
			status: 500, body: plain500,
			logs: []string{"panic: <nil>", "nil pointer dereference"},
		},
		{
			name:   "a typed nil error, returned",
			build:  returning(fmt.Errorf("load: %w", typedNil)),
			status: 500, body: plain500,
			logs: []string{"load: <nil>", "nil pointer dereference"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			if opts.Instance == nil {
				opts.Instance = noInstance
			}
			ts := newServer(t, &opts, tc.build)
			resp, body := ts.do(t, "GET", "/", nil)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.body, body)
			assert.Empty(t, ts.serverLog.String(), "net/http saw no panic")
			var found bool
			for _, rec := range ts.logs.Records(t) {
				if rec["panic"] == nil {
					continue
				}
				found = true
				assert.Equal(t, "ERROR", rec["level"])
				all := fmt.Sprint(rec)
				for _, want := range tc.logs {
					assert.Contains(t, all, want)
				}
				assert.Contains(t, rec["panicStack"], "goroutine ", "the second panic's stack")
			}
			assert.True(t, found, "a record of the second panic: %s", ts.logs.String())
		})
	}
}

// TestErrorWhoseTextPanics: the error is handled as any other; the log
// says its Error method panicked.
func TestErrorWhoseTextPanics(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance, ExposeErrors: true}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/returned", m.Handle(func(w http.ResponseWriter, r *http.Request) error { return panicky{} }))
		mux.Handle("/lost", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.WriteHeader(http.StatusAccepted)
			return panicky{}
		}))
		return m.Wrap(mux)
	})
	resp, body := ts.do(t, "GET", "/returned", nil)
	assert.Equal(t, 500, resp.StatusCode)
	p := decode(t, resp, body)
	assert.Contains(t, p.Detail, "Error broke", "exposed as what it is")
	resp, _ = ts.do(t, "GET", "/lost", nil)
	assert.Equal(t, 202, resp.StatusCode)
	assert.Empty(t, ts.serverLog.String(), "net/http saw no panic")
	recs := ts.logs.Records(t)
	require.Len(t, recs, 2)
	for _, rec := range recs {
		assert.Contains(t, rec["error"], "Error broke")
	}
}

// TestPanicAfterCommitAbortsThroughOuterRecoverers: a panic after the
// response was committed aborts it, through recoverers further out: Wrap
// passes them http.ErrAbortHandler itself (see also
// TestAbortPassesRecoverersOutside), and gives the panic, with its value
// and stack, to the log and to OnError.
func TestPanicAfterCommitAbortsThroughOuterRecoverers(t *testing.T) {
	late := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		_, _ = w.Write([]byte(strings.Repeat("x", 10)))
		http.NewResponseController(w).Flush()
		panic("late")
	}
	otherLogs := new(testkit.LogBuffer)
	other := middleware.New(&middleware.Options{Logger: slog.New(slog.NewJSONHandler(otherLogs, nil))})
	for _, tc := range []struct {
		name  string
		outer func(m *middleware.Middleware, next http.Handler) http.Handler
	}{
		{"Wrap outermost", func(m *middleware.Middleware, next http.Handler) http.Handler { return next }},
		{"inside another middleware's Wrap", func(m *middleware.Middleware, next http.Handler) http.Handler { return other.Wrap(next) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan any, 1)
			reported := make(chan error, 2) // OnError runs on the server's goroutine
			opts := &middleware.Options{OnError: func(r *http.Request, p *problem.Problem, err error) { reported <- err }}
			ts := newServer(t, opts, func(m *middleware.Middleware) http.Handler {
				inner := tc.outer(m, m.Wrap(http.HandlerFunc(late)))
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					defer func() {
						v := recover()
						got <- v
						panic(v) // as an error reporter that re-panics does
					}()
					inner.ServeHTTP(w, r)
				})
			})
			resp, err := ts.Client().Get(ts.URL)
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			assert.Error(t, err, "the client sees the response aborted, not a cut body taken as whole")
			assert.Equal(t, http.ErrAbortHandler, <-got, "the abort itself, which recoverers tell by identity")

			recs := ts.logs.Records(t)
			require.Len(t, recs, 1, "logged once")
			assert.Equal(t, "error after the response was committed", recs[0]["msg"])
			assert.Contains(t, recs[0]["error"], "panic: late")
			require.Len(t, reported, 1)
			perr := <-reported
			pe, ok := errors.AsType[*middleware.PanicError](perr)
			require.True(t, ok, "OnError gets the panic: %v", perr)
			assert.Equal(t, "late", pe.Value)
			assert.Contains(t, string(pe.Stack), "goroutine ")
			assert.Empty(t, otherLogs.String(), "an outer Wrap passes it on as it is")
			// net/http logs a panic before it closes the connection, which
			// the client has seen: a line would be there by now.
			assert.NotContains(t, ts.serverLog.String(), "panic", "net/http aborts http.ErrAbortHandler quietly")
		})
	}
}

// TestClientGoneWhateverTheError: once the client has gone, any error the
// handler returns is the client's: logged at Debug, reported to OnError
// without a problem, and written all the same unless the response was.
func TestClientGoneWhateverTheError(t *testing.T) {
	for _, tc := range []struct {
		name      string
		committed bool
		err       error
	}{
		{"canceled", false, fmt.Errorf("query: %w", context.Canceled)},
		{"a driver's own error", false, errors.New("pq: canceling statement due to user request")},
		{"a read error", false, fmt.Errorf("read body: %w", io.ErrUnexpectedEOF)},
		{"a problem", false, problem.New(http.StatusBadGateway, "")},
		{"after the response was committed", true, errors.New("write: broken pipe")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := new(testkit.LogBuffer)
			var reported []*problem.Problem
			m := middleware.New(&middleware.Options{
				Logger:  slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
				OnError: func(r *http.Request, p *problem.Problem, err error) { reported = append(reported, p) },
			})
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			req := httptest.NewRequest("GET", "/", nil).WithContext(ctx)
			rec := httptest.NewRecorder()
			m.Handle(func(w http.ResponseWriter, r *http.Request) error {
				if tc.committed {
					w.WriteHeader(http.StatusAccepted)
				}
				return tc.err
			}).ServeHTTP(rec, req)
			if tc.committed {
				assert.Empty(t, rec.Body.String(), "nothing more is written")
				assert.NotContains(t, rec.Header().Get("Content-Type"), "problem")
			} else {
				// Written all the same, for a client that is still
				// reading (see TestHalfClosedClientGetsItsError).
				assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
				assert.Equal(t, problem.Resolve(tc.err).Status, rec.Code)
			}
			assert.Equal(t, []*problem.Problem{nil}, reported, "OnError is told, without a problem")
			recs := logs.Records(t)
			require.Len(t, recs, 1)
			assert.Equal(t, "DEBUG", recs[0]["level"])
			assert.Equal(t, "client went away", recs[0]["msg"])
			assert.Equal(t, tc.err.Error(), recs[0]["error"])
		})
	}
}

// TestClientGoneOnTheWire: a client that hangs up mid-request; the
// handler's error that follows is not logged as the server's.
func TestClientGoneOnTheWire(t *testing.T) {
	started, done := make(chan struct{}), make(chan struct{})
	var reported atomic.Int32
	ts := newServer(t, &middleware.Options{OnError: func(r *http.Request, p *problem.Problem, err error) {
		if p == nil {
			reported.Add(1)
		}
	}}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			defer close(done)
			close(started)
			<-r.Context().Done()
			return errors.New("pq: canceling statement due to user request")
		})
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", ts.URL, nil)
	require.NoError(t, err)
	go func() {
		<-started
		cancel()
	}()
	_, err = ts.Client().Do(req)
	require.Error(t, err)
	<-done
	require.Eventually(t, func() bool { return reported.Load() == 1 }, time.Second, time.Millisecond)
	recs := ts.logs.Records(t)
	require.Len(t, recs, 1)
	assert.Equal(t, "DEBUG", recs[0]["level"])
	assert.Equal(t, "client went away", recs[0]["msg"])
}

// TestHalfClosedClientGetsItsError: a client that closes its side of the
// connection once it has sent the request (a half-close, as nc -N and
// some HTTP/1.0 clients do) is still reading, but net/http cancels the
// request's context on the EOF as it does for a client that has gone. It
// gets the error all the same, as it does from net/http without the
// middleware, and not the empty 200 that net/http sends for a handler
// that wrote nothing; the error is still taken for the client's doing.
func TestHalfClosedClientGetsItsError(t *testing.T) {
	tests := []struct {
		name, path string
		status     int
		body       string
	}{
		{"a bare error", "/bare", http.StatusNotFound, `{"type":"about:blank","title":"Not Found","status":404,"detail":"no such item"}`},
		{"a returned error", "/returned", http.StatusConflict, `{"type":"about:blank","title":"Conflict","status":409,"detail":"stale"}`},
	}
	var reported []*problem.Problem
	var mu sync.Mutex
	ts := newServer(t, &middleware.Options{Instance: noInstance, OnError: func(r *http.Request, p *problem.Problem, err error) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, p)
	}}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.HandleFunc("/bare", func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // the half-close
			http.Error(w, "no such item", http.StatusNotFound)
		})
		mux.Handle("/returned", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			<-r.Context().Done()
			return problem.New(http.StatusConflict, "stale")
		}))
		return m.Wrap(mux)
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ts.Listener.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: test\r\n\r\n", tt.path)
			require.NoError(t, err)
			require.NoError(t, conn.(*net.TCPConn).CloseWrite())
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.body, string(body))
		})
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []*problem.Problem{nil, nil}, reported, "the client's doing: OnError gets no problem")
	for _, rec := range ts.logs.Records(t) {
		assert.Equal(t, "DEBUG", rec["level"])
		assert.Equal(t, "client went away", rec["msg"])
	}
}

// TestTimeoutContextsAreNotAGoneClient: a timeout middleware's context,
// on either side of Wrap, expires or is cancelled by its middleware on its
// way out; the client is still there and gets the problem.
func TestTimeoutContextsAreNotAGoneClient(t *testing.T) {
	timeout := func(next http.Handler) http.Handler { // as chi's Timeout sets one up
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), 5*time.Millisecond)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
	for _, tc := range []struct {
		name  string
		build func(m *middleware.Middleware, h http.Handler) http.Handler
	}{
		{"timeout inside Wrap", func(m *middleware.Middleware, h http.Handler) http.Handler { return m.Wrap(timeout(h)) }},
		{"timeout outside Wrap", func(m *middleware.Middleware, h http.Handler) http.Handler { return timeout(m.Wrap(h)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
				mux := http.NewServeMux()
				mux.Handle("/expired", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
					<-r.Context().Done()
					return fmt.Errorf("query: %w", r.Context().Err())
				}))
				mux.Handle("/canceled", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
					<-r.Context().Done()
					return errors.New("pq: canceling statement due to user request")
				}))
				return tc.build(m, mux)
			})
			resp, body := ts.do(t, "GET", "/expired", nil)
			assert.Equal(t, 504, resp.StatusCode)
			assert.Equal(t, `{"type":"about:blank","title":"Gateway Timeout","status":504}`, body)
			resp, _ = ts.do(t, "GET", "/canceled", nil)
			assert.Equal(t, 500, resp.StatusCode, "the server's timeout, not the client's doing")
		})
	}
}

// TestExposeErrorsShowsTheCause: with ExposeErrors, a problem of any status
// shows what caused it: as its detail when it has none, else as the
// "cause" member beside it.
func TestExposeErrorsShowsTheCause(t *testing.T) {
	locked := errors.New("db: row locked")
	withDetail := problem.Wrap(locked, http.StatusConflict)
	withDetail.Detail = "version 3 is stale"
	ownCause := problem.Wrap(locked, http.StatusConflict).WithExtension("cause", "mine")
	ownCause.Detail = "version 3 is stale"
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"Wrap", problem.Wrap(locked, http.StatusConflict),
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"db: row locked"}`},
		{"a detail and a cause", withDetail,
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"version 3 is stale","cause":"db: row locked"}`},
		{"wrapped further", fmt.Errorf("save: %w", withDetail),
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"version 3 is stale","cause":"db: row locked"}`},
		{"a cause member of its own", ownCause,
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"version 3 is stale","cause":"mine"}`},
		{"a detail that is the cause", problem.Newf(http.StatusConflict, "stale: %w", locked),
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"stale: db: row locked"}`},
		{"no cause", fmt.Errorf("save: %w", problem.New(http.StatusConflict, "x")),
			`{"type":"about:blank","title":"Conflict","status":409,"detail":"x"}`},
		{"mapped, with context", fmt.Errorf("load item 7: %w", sql.ErrNoRows),
			`{"type":"about:blank","title":"Not Found","status":404,"detail":"load item 7: sql: no rows in result set"}`},
		{"mapped, nothing more", sql.ErrNoRows,
			`{"type":"about:blank","title":"Not Found","status":404}`},
		{"a 5xx problem", problem.Wrap(errors.New("pq: down"), http.StatusServiceUnavailable),
			`{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"pq: down"}`},
		{"an unknown error", fmt.Errorf("load: %w", errors.New("pq: relation items does not exist")),
			`{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"load: pq: relation items does not exist"}`},
		{"canceled inside", fmt.Errorf("worker: %w", context.Canceled),
			`{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"worker: context canceled"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newServer(t, &middleware.Options{
				ExposeErrors: true,
				Instance:     noInstance,
				Mappers:      []problem.Mapper{problem.MapIs(sql.ErrNoRows, problem.Type{Status: http.StatusNotFound})},
			}, func(m *middleware.Middleware) http.Handler {
				return m.Handle(func(w http.ResponseWriter, r *http.Request) error { return tc.err })
			})
			_, body := ts.do(t, "GET", "/", nil)
			assert.Equal(t, tc.want, body)
		})
	}

	// Without ExposeErrors, none of it.
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error { return withDetail })
	})
	_, body := ts.do(t, "GET", "/", nil)
	assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409,"detail":"version 3 is stale"}`, body)
}

// TestEnrich: the hook sees each problem before it is logged and written,
// on a copy of its own, and what it leaves is what is sent, logged and
// reported.
func TestEnrich(t *testing.T) {
	template := problem.New(http.StatusConflict, "stale").WithExtension("version", 3)
	var reported sync.Map
	ts := newServer(t, &middleware.Options{
		Instance: noInstance,
		Enrich: func(r *http.Request, p *problem.Problem, err error) {
			if p.Extensions == nil {
				p.Extensions = map[string]any{}
			}
			p.Extensions["tenant"] = r.Header.Get("X-Tenant")
			if p.Header == nil {
				p.Header = http.Header{}
			}
			p.Header.Set("Link", `<https://docs.example/errors>; rel="help"`)
			switch r.URL.Path {
			case "/unavailable":
				p.Status = http.StatusServiceUnavailable
				p.Header.Set("Retry-After", "30")
			case "/unsendable":
				p.Status = http.StatusOK
			case "/unauthorized":
				p.Status = http.StatusUnauthorized
			}
		},
		OnError: func(r *http.Request, p *problem.Problem, err error) { reported.Store(r.URL.Path, p) },
	}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		for _, path := range []string{"/template", "/unavailable", "/unsendable", "/unauthorized"} {
			mux.Handle(path, m.Handle(func(w http.ResponseWriter, r *http.Request) error { return template }))
		}
		return m.Wrap(mux) // and ServeMux's own 404
	})
	for _, tc := range []struct {
		path   string
		status int
		body   string
		header map[string]string
	}{
		{"/template", 409, `{"type":"about:blank","title":"Conflict","status":409,"detail":"stale","tenant":"acme","version":3}`,
			map[string]string{"Link": `<https://docs.example/errors>; rel="help"`}},
		{"/unavailable", 503, `{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"stale","tenant":"acme","version":3}`,
			map[string]string{"Retry-After": "30"}},
		{"/unsendable", 500, `{"type":"about:blank","title":"Internal Server Error","status":500,"tenant":"acme","version":3}`, nil},
		{"/unauthorized", 401, `{"type":"about:blank","title":"Unauthorized","status":401,"detail":"stale","tenant":"acme","version":3}`,
			map[string]string{"WWW-Authenticate": "Bearer"}},
		{"/missing", 404, `{"type":"about:blank","title":"Not Found","status":404,"tenant":"acme"}`, nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := ts.do(t, "GET", tc.path, nil, "X-Tenant", "acme")
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.body, body)
			for k, v := range tc.header {
				assert.Equal(t, v, resp.Header.Get(k), k)
			}
			p, ok := reported.Load(tc.path)
			require.True(t, ok)
			assert.Equal(t, "acme", p.(*problem.Problem).Extensions["tenant"], "OnError gets what was sent")
		})
	}
	assert.Equal(t, map[string]any{"version": 3}, template.Extensions, "the handler's problem is left alone")
	assert.Empty(t, template.Header)

	recs := ts.logs.Records(t)
	require.Len(t, recs, 6) // one per request, and Respond's note on the refused status
	assert.Equal(t, "acme", recs[0]["problem"].(map[string]any)["extensions"].(map[string]any)["tenant"], "the log shows what is sent")
	assert.Equal(t, "ERROR", recs[1]["level"], "logged at the status Enrich left: 503")
	assert.EqualValues(t, 503, recs[1]["status"])
	assert.Equal(t, "ERROR", recs[2]["level"], "a refused status is a bug")
	assert.EqualValues(t, 500, recs[2]["status"])
}

// TestCorrelationFromTheResponse: an id that a request-id middleware put
// on the response (the request had none) is found by default, and every
// log record carries the id at its top level.
func TestCorrelationFromTheResponse(t *testing.T) {
	requestID := func(next http.Handler) http.Handler { // as request-id middleware does
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if id := r.Header.Get("X-Request-Id"); id != "" {
				w.Header().Set("X-Request-Id", id)
			} else {
				w.Header().Set("X-Request-Id", "gen-7")
			}
			next.ServeHTTP(w, r)
		})
	}
	ts := newServer(t, &middleware.Options{Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/returned", m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(http.StatusConflict, "") }))
		mux.Handle("/own-header", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("X-Request-Id", "handler-1")
			return problem.New(http.StatusConflict, "")
		}))
		mux.Handle("/bad-header", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("X-Request-Id", "not an id")
			return problem.New(http.StatusConflict, "")
		}))
		mux.Handle("/lost", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.WriteHeader(http.StatusAccepted)
			return errors.New("too late")
		}))
		mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
		return requestID(m.Wrap(mux))
	})
	const conflict = `{"type":"about:blank","title":"Conflict","status":409`
	for _, tc := range []struct {
		name, path string
		header     []string
		body, id   string // id: in the log record, "" for none
	}{
		{"generated", "/returned", nil, conflict + `,"correlationId":"gen-7"}`, "gen-7"},
		{"the request's", "/returned", []string{"X-Request-Id", "req-42"}, conflict + `,"correlationId":"req-42"}`, "req-42"},
		{"traceparent first", "/returned", []string{"Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
			conflict + `,"correlationId":"4bf92f3577b34da6a3ce929d0e0e4736"}`, "4bf92f3577b34da6a3ce929d0e0e4736"},
		{"set by the handler", "/own-header", nil, conflict + `,"correlationId":"handler-1"}`, "handler-1"},
		{"not an id", "/bad-header", nil, conflict + `}`, ""},
		{"a bare 404", "/missing", nil, `{"type":"about:blank","title":"Not Found","status":404,"correlationId":"gen-7"}`, "gen-7"},
		{"a panic", "/panic", nil, `{"type":"about:blank","title":"Internal Server Error","status":500,"correlationId":"gen-7"}`, "gen-7"},
		{"lost", "/lost", nil, ``, "gen-7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(ts.logs.Records(t))
			_, body := ts.do(t, "GET", tc.path, nil, tc.header...)
			assert.Equal(t, tc.body, body)
			recs := ts.logs.Records(t)
			require.Len(t, recs, before+1)
			if tc.id == "" {
				assert.NotContains(t, recs[before], "correlationId")
				return
			}
			assert.Equal(t, tc.id, recs[before]["correlationId"], "a top-level attribute")
		})
	}
}

// TestCustomCorrelationOnly: a Correlation of the service's own decides
// alone.
func TestCustomCorrelationOnly(t *testing.T) {
	ts := newServer(t, &middleware.Options{Instance: noInstance, Correlation: func(*http.Request) string { return "" }}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error {
			w.Header().Set("X-Request-Id", "handler-1")
			return problem.New(http.StatusConflict, "")
		})
	})
	_, body := ts.do(t, "GET", "/", nil, "X-Request-Id", "req-42")
	assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409}`, body)
}

// TestFormats: Options.Formats limits the formats offered, and New rejects
// a set without JSON or with bits that name no format.
func TestFormats(t *testing.T) {
	ts := newServer(t, &middleware.Options{Formats: problem.FormatJSON, Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(http.StatusNotFound, "") })
	})
	resp, body := ts.do(t, "GET", "/", nil, "Accept", "application/xml")
	assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
	assert.Equal(t, `{"type":"about:blank","title":"Not Found","status":404}`, body)

	assert.PanicsWithValue(t, "middleware: Formats must hold problem.FormatJSON: JSON is always offered", func() {
		middleware.New(&middleware.Options{Formats: problem.FormatXML})
	})
	assert.PanicsWithValue(t, "middleware: Formats holds an unknown format", func() {
		middleware.New(&middleware.Options{Formats: problem.FormatJSON | 1<<7})
	})
	assert.NotPanics(t, func() { middleware.New(&middleware.Options{Formats: problem.FormatJSON | problem.FormatXML}) })
}

// trackingWriter is a writer of another stack that tracks whether it was
// written, with the methods gin's ResponseWriter has, the hook
// WriteError honours.
type trackingWriter struct {
	http.ResponseWriter
	status int
}

func (w *trackingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *trackingWriter) Written() bool { return w.status != 0 }
func (w *trackingWriter) Status() int   { return w.status }

// exposingWriter is a trackingWriter that asks for internal error text to
// be sent for its request, as a stack's debug mode does.
type exposingWriter struct{ *trackingWriter }

func (exposingWriter) ExposeErrors() bool { return true }

// outerWriter wraps a writer, as a compressor or a recorder does.
type outerWriter struct{ http.ResponseWriter }

func (w outerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// TestWriteErrorOnWrittenResponsesOfOtherStacks: on a writer that says
// whether it was written (Written and Status, as gin's ResponseWriter and
// problemecho's have), or one that unwraps to such a writer, WriteError
// writes nothing once it was: the error is lost, and logged so; when the
// response is a problem WriteError wrote, the error is taken as the same
// one passed twice, logged at Debug, and not reported again.
func TestWriteErrorOnWrittenResponsesOfOtherStacks(t *testing.T) {
	for _, tc := range []struct {
		name string
		wrap func(w *trackingWriter) http.ResponseWriter
	}{
		{"the writer itself", func(w *trackingWriter) http.ResponseWriter { return w }},
		{"behind an Unwrap", func(w *trackingWriter) http.ResponseWriter { return outerWriter{w} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs *testkit.LogBuffer
			var reported []*problem.Problem
			newMiddleware := func() *middleware.Middleware {
				logs, reported = new(testkit.LogBuffer), nil
				return middleware.New(&middleware.Options{
					Instance: noInstance,
					Logger:   slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
					OnError:  func(r *http.Request, p *problem.Problem, err error) { reported = append(reported, p) },
				})
			}
			r := httptest.NewRequest("GET", "/", nil)

			m := newMiddleware()
			rec := httptest.NewRecorder()
			w := &trackingWriter{ResponseWriter: rec}
			_, _ = w.Write([]byte("done"))
			m.WriteError(tc.wrap(w), r, errors.New("audit failed"))
			assert.Equal(t, "done", rec.Body.String(), "nothing written after the handler's own response")
			assert.Equal(t, []*problem.Problem{nil}, reported)
			recs := logs.Records(t)
			require.Len(t, recs, 1)
			assert.Equal(t, "ERROR", recs[0]["level"])
			assert.Equal(t, "error after the response was committed", recs[0]["msg"])
			assert.EqualValues(t, 200, recs[0]["status"])

			m = newMiddleware()
			rec = httptest.NewRecorder()
			w = &trackingWriter{ResponseWriter: rec}
			err := problem.New(http.StatusConflict, "stale")
			m.WriteError(tc.wrap(w), r, err)
			m.WriteError(tc.wrap(w), r, err)
			assert.Equal(t, `{"type":"about:blank","title":"Conflict","status":409,"detail":"stale"}`, rec.Body.String(), "written once")
			assert.Len(t, reported, 1, "reported once")
			recs = logs.Records(t)
			require.Len(t, recs, 2)
			assert.Equal(t, "request failed", recs[0]["msg"])
			assert.Equal(t, "DEBUG", recs[1]["level"])
			assert.Equal(t, "error after a problem response was sent; taken as the same error", recs[1]["msg"])
		})
	}
}

// TestWriteErrorExposesForAWriterThatAsks: a writer with an ExposeErrors
// method that reports true (a stack's debug mode) turns ExposeErrors on for
// its request alone, for the cause as for a 5xx detail formatted from
// wrapped errors, in the same bytes as Options.ExposeErrors gives.
func TestWriteErrorExposesForAWriterThatAsks(t *testing.T) {
	errs := []error{
		problem.Wrap(errors.New("db: row locked"), http.StatusConflict),
		problem.Newf(http.StatusBadGateway, "upstream: %w", errors.New("dial tcp 10.0.0.5:5432: refused")),
		fmt.Errorf("load: %w", errors.New("pq: relation items does not exist")),
	}
	m := middleware.New(&middleware.Options{Instance: noInstance, Logger: discardLogger()})
	exposing := middleware.New(&middleware.Options{Instance: noInstance, Logger: discardLogger(), ExposeErrors: true})
	for _, err := range errs {
		r := httptest.NewRequest("GET", "/", nil)
		plain, asked, want := httptest.NewRecorder(), httptest.NewRecorder(), httptest.NewRecorder()
		m.WriteError(&trackingWriter{ResponseWriter: plain}, r, err)
		m.WriteError(exposingWriter{&trackingWriter{ResponseWriter: asked}}, r, err)
		exposing.WriteError(want, r, err)
		assert.Equal(t, want.Body.String(), asked.Body.String(), "%v", err)
		assert.NotEqual(t, want.Body.String(), plain.Body.String(), "%v: not for a writer that does not ask", err)
	}
}

// upstream answers as a billing service would that sends too much: a
// detail, a "stack" member, an account balance and its own challenge.
func upstream(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/problem+json")
		switch r.URL.Path {
		case "/unauthorized":
			h.Set("WWW-Authenticate", `Bearer realm="billing", error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"type":"https://billing.example/probs/token-expired","title":"Your token has expired.",`+
				`"status":401,"detail":"token 7f3a expired at 12:00","instance":"/accounts/12345",`+
				`"stack":["billing.(*Auth).Check()","main.main()"],"balance":30}`)
		case "/unavailable":
			h.Set("Retry-After", "120")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"status":503,"detail":"maintenance","stack":["billing.main()"]}`)
		case "/client-closed":
			w.WriteHeader(499)
			_, _ = io.WriteString(w, `{"status":499,"detail":"client went away"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// gateway follows the README's client pattern: it calls the upstream,
// reads the problem and returns it wrapped.
func gateway(up *httptest.Server) middleware.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		resp, err := up.Client().Get(up.URL + r.URL.Path)
		if err != nil {
			return err
		}
		p, err := problem.FromResponse(resp)
		if err != nil {
			return err
		}
		return fmt.Errorf("upstream: %w", p)
	}
}

// TestGatewaySendsForeignProblemsOnlyAsMapped: a problem read from a
// response is the upstream's. By default the gateway's client gets a 500
// that says nothing of it, as for any unknown error, and the log gets the
// cause. A mapper decides otherwise: Relay sends the upstream's type,
// title, status and the detail of a 4xx, and what else it is told to keep;
// MapIs maps it by its type.
func TestGatewaySendsForeignProblemsOnlyAsMapped(t *testing.T) {
	up := upstream(t)
	tokenExpired := problem.Type{URI: "https://billing.example/probs/token-expired"}
	tests := []struct {
		name       string
		mappers    []problem.Mapper
		path       string
		wantStatus int
		wantBody   string
		wantHeader http.Header // headers that must be there; nil values must be absent
	}{
		{
			name:       "by default, a 500 with nothing of the upstream",
			path:       "/unauthorized",
			wantStatus: http.StatusInternalServerError,
			wantBody:   `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/unauthorized"}`,
			wantHeader: http.Header{"Www-Authenticate": nil},
		},
		{
			name:       "by default, not even the upstream's Retry-After",
			path:       "/unavailable",
			wantStatus: http.StatusInternalServerError,
			wantBody:   `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/unavailable"}`,
			wantHeader: http.Header{"Retry-After": nil},
		},
		{
			name:       "a 401 relayed without its challenge is a 502: the gateway's credentials failed",
			mappers:    []problem.Mapper{problem.Relay(nil)},
			path:       "/unauthorized",
			wantStatus: http.StatusBadGateway,
			wantBody:   `{"type":"about:blank","title":"Bad Gateway","status":502,"instance":"/unauthorized"}`,
			wantHeader: http.Header{"Www-Authenticate": nil},
		},
		{
			name:       "relayed with the members and headers asked for",
			mappers:    []problem.Mapper{problem.Relay(&problem.RelayOptions{Extensions: []string{"balance"}, Header: []string{"WWW-Authenticate"}})},
			path:       "/unauthorized",
			wantStatus: http.StatusUnauthorized,
			wantBody: `{"type":"https://billing.example/probs/token-expired","title":"Your token has expired.",` +
				`"status":401,"detail":"token 7f3a expired at 12:00","instance":"/unauthorized","balance":30}`,
			wantHeader: http.Header{"Www-Authenticate": {`Bearer realm="billing", error="invalid_token"`}},
		},
		{
			name:       "relayed without the upstream's Retry-After, nor a 5xx's detail",
			mappers:    []problem.Mapper{problem.Relay(nil)},
			path:       "/unavailable",
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   `{"type":"about:blank","title":"Service Unavailable","status":503,"instance":"/unavailable"}`,
			wantHeader: http.Header{"Retry-After": nil},
		},
		{
			name:       "relayed with the upstream's Retry-After, asked for",
			mappers:    []problem.Mapper{problem.Relay(&problem.RelayOptions{Header: []string{"Retry-After"}})},
			path:       "/unavailable",
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   `{"type":"about:blank","title":"Service Unavailable","status":503,"instance":"/unavailable"}`,
			wantHeader: http.Header{"Retry-After": {"120"}},
		},
		{
			name:       "a status the gateway cannot relay is a 502",
			mappers:    []problem.Mapper{problem.Relay(nil)},
			path:       "/client-closed",
			wantStatus: http.StatusBadGateway,
			wantBody:   `{"type":"about:blank","title":"Bad Gateway","status":502,"instance":"/client-closed"}`,
		},
		{
			name: "mapped by its type",
			mappers: []problem.Mapper{problem.MapIs(tokenExpired, problem.Type{
				URI: "https://example.com/probs/billing-unavailable", Title: "Billing is unavailable.", Status: http.StatusServiceUnavailable,
			})},
			path:       "/unauthorized",
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   `{"type":"https://example.com/probs/billing-unavailable","title":"Billing is unavailable.","status":503,"instance":"/unauthorized"}`,
			wantHeader: http.Header{"Www-Authenticate": nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newServer(t, &middleware.Options{Mappers: tt.mappers}, func(m *middleware.Middleware) http.Handler {
				return m.Handle(gateway(up))
			})
			resp, body := ts.do(t, "GET", tt.path, nil)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantBody, body)
			for k, want := range tt.wantHeader {
				assert.Equal(t, want, resp.Header[k], k)
			}

			records := ts.logs.Records(t)
			require.Len(t, records, 1)
			assert.Contains(t, records[0]["error"], "upstream: ", "the log has the cause")
			if tt.wantStatus >= 500 {
				assert.Equal(t, "ERROR", records[0]["level"])
			}
		})
	}
}

// TestGatewayLogsTheForeignProblem: the upstream's status, title and
// detail are in the log of the 500 that hides them.
func TestGatewayLogsTheForeignProblem(t *testing.T) {
	up := upstream(t)
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler { return m.Handle(gateway(up)) })
	resp, _ := ts.do(t, "GET", "/unauthorized", nil)
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	records := ts.logs.Records(t)
	require.Len(t, records, 1)
	assert.Equal(t, "ERROR", records[0]["level"])
	assert.Equal(t, "upstream: 401 Your token has expired.: token 7f3a expired at 12:00", records[0]["error"])
}

// With ExposeErrors, a 5xx panic's stack is sent as "stack" whether or not
// the problem it resolves to has a detail of its own.
func TestExposedPanicStackWithADetail(t *testing.T) {
	t.Parallel()
	ts := newServer(t, &middleware.Options{ExposeErrors: true, Instance: noInstance}, func(m *middleware.Middleware) http.Handler {
		return m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := problem.Wrap(errors.New("dial tcp 10.0.0.5:5432: refused"), http.StatusInternalServerError)
			p.Detail = "The database is down."
			panic(p)
		}))
	})
	resp, body := ts.do(t, "GET", "/", nil)
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	p := decode(t, resp, body)
	assert.Equal(t, "The database is down.", p.Detail)
	assert.Equal(t, "dial tcp 10.0.0.5:5432: refused", p.Extensions["cause"])
	stack, ok := p.Extensions["stack"].([]any)
	require.True(t, ok, "a stack member: %s", body)
	assert.NotEmpty(t, stack)
}

// TestWriteErrorSecondPassAfterInPlaceWrite: once some stack has written
// into a value of a problem response in place, an error passed twice to
// WriteError is still taken as the same one: logged at Debug, reported to
// OnError once.
func TestWriteErrorSecondPassAfterInPlaceWrite(t *testing.T) {
	written := httptest.NewRecorder()
	require.NoError(t, (&problem.Responder{}).Respond(written, httptest.NewRequest("GET", "/", nil), problem.New(http.StatusNotFound, "")))
	written.Header()["Vary"][0] = "Accept, Origin"

	logs, reports := new(testkit.LogBuffer), 0
	m := middleware.New(&middleware.Options{
		Instance: noInstance,
		Logger:   slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OnError:  func(*http.Request, *problem.Problem, error) { reports++ },
	})
	err := problem.New(http.StatusNotFound, "")
	h := m.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.WriteError(w, r, err)
		m.WriteError(w, r, err) // a request logger passing it again
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, 1, reports, "OnError calls for one error")
	recs := logs.Records(t)
	require.NotEmpty(t, recs)
	last := recs[len(recs)-1]
	assert.Equal(t, "DEBUG", last["level"])
	assert.Equal(t, "error after a problem response was sent; taken as the same error", last["msg"])
}
