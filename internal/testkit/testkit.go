// Package testkit holds what the module's tests share: a log sink, a
// request helper, an outer compressor, and a ResponseWriter and a
// response check for benchmarks.
package testkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// LogBuffer collects log output from many goroutines.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Records returns the JSON log records written so far, one a line.
func (b *LogBuffer) Records(t testing.TB) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		out = append(out, rec)
	}
	return out
}

// Do sends a request with the given header fields (name, value, ...) and
// returns the response with its body read and closed.
func Do(t testing.TB, client *http.Client, method, url string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	resp := Send(t, client, method, url, body, header...)
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, string(data)
}

// Send sends a request with the given header names and values, in pairs,
// and returns the response with its body unread.
func Send(t testing.TB, client *http.Client, method, url string, body io.Reader, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	return resp
}

// BenchWriter is a ResponseWriter that keeps nothing, for benchmarks. Reset
// clears its header map, as a server gives each request a fresh one.
type BenchWriter struct {
	H      http.Header
	Status int
	N      int // bytes written
}

func NewBenchWriter() *BenchWriter { return &BenchWriter{H: make(http.Header, 8)} }

func (w *BenchWriter) Header() http.Header { return w.H }

func (w *BenchWriter) WriteHeader(status int) { w.Status = status }

func (w *BenchWriter) Write(b []byte) (int, error) {
	w.N += len(b)
	return len(b), nil
}

func (w *BenchWriter) Reset() {
	clear(w.H)
	w.Status, w.N = 0, 0
}

// Row is a handler that a benchmark compares with others.
type Row struct {
	Name string
	H    http.Handler
}

// RequireSameResponse fails tb unless every row, serving r, sends the same
// response as the first: the same status, the same header fields (the same
// names, each with the same values in the same order, and no others) as
// they were when the status was written, and the same body, byte for byte.
// A benchmark calls it first, so that its rows are known to do the same
// work and a floor cannot flatter what it is compared with.
func RequireSameResponse(tb testing.TB, r *http.Request, rows ...Row) {
	tb.Helper()
	require.NotEmpty(tb, rows)
	record := func(h http.Handler) (int, http.Header, []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		res := rec.Result()
		return res.StatusCode, res.Header, rec.Body.Bytes()
	}
	status, header, body := record(rows[0].H)
	for _, row := range rows[1:] {
		s, h, b := record(row.H)
		require.Equal(tb, status, s, "%s: status, compared with %s", row.Name, rows[0].Name)
		require.Equal(tb, string(body), string(b), "%s: body, compared with %s", row.Name, rows[0].Name)
		names, wantNames := slices.Sorted(maps.Keys(h)), slices.Sorted(maps.Keys(header))
		require.Equal(tb, wantNames, names, "%s: header names, compared with %s", row.Name, rows[0].Name)
		for _, k := range names {
			require.Equal(tb, header[k], h[k], "%s: header %s, compared with %s", row.Name, k, rows[0].Name)
		}
	}
}

// SelfWrap is an error that wraps itself, and SelfJoin one that joins itself
// twice: errors.Is and errors.As never return for them.
type (
	SelfWrap struct{}
	SelfJoin struct{}
)

func (e *SelfWrap) Error() string   { return "self" }
func (e *SelfWrap) Unwrap() error   { return e }
func (e *SelfJoin) Error() string   { return "self join" }
func (e *SelfJoin) Unwrap() []error { return []error{e, e} }

// TextLogger returns a logger that writes text records without their time,
// so that tests can compare them.
func TextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
}

// UntilTimedOut is a handler for http.TimeoutHandler that returns only once
// TimeoutHandler has sent its 503. A handler that returned on its context's
// Done, or after a fixed sleep, would race TimeoutHandler's timer, which
// then may send the handler's own empty 200 instead.
func UntilTimedOut(w http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
	for {
		if _, err := w.Write(nil); errors.Is(err, http.ErrHandlerTimeout) {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// The header values of a JSON problem response, built once, as the writer
// builds them: a value slice each, of capacity 1, shared by every
// response.
var (
	benchProblemJSON = []string{"application/problem+json"}
	benchNosniff     = []string{"nosniff"}
	benchNoStore     = []string{"no-store"}
	benchVaryAccept  = []string{"Accept"}
)

// SetProblemHeader sets on h, a response's empty header, the fields every
// JSON problem response carries (Content-Type, X-Content-Type-Options,
// Cache-Control and Vary), as a benchmark's floor sets them: by assigning
// values built once, as the writer does. Header.Set would canonicalise
// each name and allocate each value, work the writer does not do, which
// would flatter what the floor is compared with.
func SetProblemHeader(h http.Header) {
	h["Content-Type"] = benchProblemJSON
	h["X-Content-Type-Options"] = benchNosniff
	h["Cache-Control"] = benchNoStore
	h["Vary"] = benchVaryAccept
}

// SetProblemHeaderBySet sets the same fields as SetProblemHeader, as a
// hand-written handler usually does: with Header.Set and Header.Add, which
// canonicalise each name and allocate each value. Benchmarks carry a floor
// of each kind: this one is what a handler written without problemkit
// costs, SetProblemHeader the least work that sends the same bytes.
func SetProblemHeaderBySet(h http.Header) {
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Accept")
}

// RunRows benchmarks each row on r, in order, on a BenchWriter reset
// before each request. Those named in same (the first is the floor) must
// first send the same response (see RequireSameResponse), so that they do
// the same work.
func RunRows(b *testing.B, r *http.Request, rows []Row, same ...string) {
	b.Helper()
	var check []Row
	for _, name := range same {
		for _, row := range rows {
			if row.Name == name {
				check = append(check, row)
			}
		}
	}
	if len(check) != len(same) {
		b.Fatalf("rows %v: not all are among the rows", same)
	}
	RequireSameResponse(b, r, check...)
	for _, row := range rows {
		b.Run(row.Name, func(b *testing.B) {
			w := NewBenchWriter()
			b.ReportAllocs()
			for b.Loop() {
				w.Reset()
				row.H.ServeHTTP(w, r)
			}
		})
	}
}
