package problemkit_test

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/middleware/problemecho"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

var soakRequests = flag.Int("soak", 0, "requests TestSoak sends (default: $PROBLEMKIT_SOAK, else 2000)")

// soakCount is how many requests TestSoak sends: -soak, else
// PROBLEMKIT_SOAK, else a small run fit for CI.
func soakCount(t *testing.T) int {
	if *soakRequests > 0 {
		return *soakRequests
	}
	if v := os.Getenv("PROBLEMKIT_SOAK"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "PROBLEMKIT_SOAK")
		return n
	}
	return 2000
}

// soakRequest is one kind of request of the mix.
type soakRequest struct {
	method, path, body string
	status             int
}

var soakMix = []soakRequest{
	{"GET", "/ok", "", 200},
	{"GET", "/problem", "", 404},
	{"HEAD", "/problem", "", 404},
	{"GET", "/unknown", "", 500},
	{"GET", "/panic", "", 500},
	{"POST", "/signup", `{"name":"ab","email":"x","profile":{"color":"red"}}`, 422},
	{"POST", "/signup", `{"name":"abc","email":"a@b.c","profile":{"color":"red"}}`, 201},
	{"GET", "/bare", "", 400},
	{"GET", "/missing", "", 404},
	{"DELETE", "/ok", "", 405},
	{"GET", "/slow", "", 503},
}

// TestSoak sends a fixed number of mixed requests, from a bounded number of
// clients, to both stacks on loopback. Every error response must be a valid
// problem, the goroutines must return to their number before the servers
// started, and the heap must stay flat. Run it long with
// go test -run TestSoak -soak 200000 (or PROBLEMKIT_SOAK=200000).
func TestSoak(t *testing.T) {
	total := soakCount(t)
	const clients = 16
	quiet := slog.New(slog.DiscardHandler)
	v := problemvalidator.New(nil)
	signup := func(r *http.Request) error {
		var in signup
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			return problem.New(http.StatusBadRequest, "the body is not JSON")
		}
		return v.Validate(&in)
	}

	runtime.GC()
	goroutinesBefore := runtime.NumGoroutine()

	m := middleware.New(&middleware.Options{Logger: quiet})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.Handle("GET /problem", m.Handle(func(w http.ResponseWriter, r *http.Request) error { return problem.New(404, "no such thing") }))
	mux.Handle("GET /unknown", m.Handle(func(w http.ResponseWriter, r *http.Request) error { return errors.New("db down") }))
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	mux.Handle("POST /signup", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		if err := signup(r); err != nil {
			return err
		}
		w.WriteHeader(http.StatusCreated)
		return nil
	}))
	mux.HandleFunc("GET /bare", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad query", 400) })
	mux.Handle("GET /slow", http.TimeoutHandler(http.HandlerFunc(testkit.UntilTimedOut), time.Millisecond, ""))

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger.SetOutput(io.Discard)
	e.HTTPErrorHandler = problemecho.ErrorHandler(&middleware.Options{Logger: quiet})
	e.Use(echomw.RecoverWithConfig(echomw.RecoverConfig{DisablePrintStack: true}))
	e.GET("/ok", func(c echo.Context) error { return c.String(200, "ok") })
	e.GET("/problem", func(c echo.Context) error { return problem.New(404, "no such thing") })
	e.HEAD("/problem", func(c echo.Context) error { return problem.New(404, "no such thing") })
	e.GET("/unknown", func(c echo.Context) error { return errors.New("db down") })
	e.GET("/panic", func(c echo.Context) error { panic("boom") })
	e.POST("/signup", func(c echo.Context) error {
		if err := signup(c.Request()); err != nil {
			return err
		}
		return c.NoContent(http.StatusCreated)
	})
	e.GET("/bare", func(c echo.Context) error { return echo.NewHTTPError(400, "bad query") })
	e.GET("/slow", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return echo.ErrServiceUnavailable.WithInternal(c.Request().Context().Err())
	}, echomw.ContextTimeout(time.Millisecond))

	servers := []*httptest.Server{httptest.NewServer(m.Wrap(mux)), httptest.NewServer(e)}
	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	var (
		statusCounts    sync.Map // int -> *atomic.Int64
		failures        atomic.Int64
		heapAfterWarmup uint64
	)
	send := func(i int) {
		req := soakMix[i%len(soakMix)]
		srv := servers[(i/len(soakMix))%len(servers)]
		r, err := http.NewRequest(req.method, srv.URL+req.path, strings.NewReader(req.body))
		if err != nil {
			t.Error(err)
			return
		}
		resp, err := client.Do(r)
		if err != nil {
			failures.Add(1)
			t.Errorf("%s %s: %v", req.method, req.path, err)
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			err = checkSoakResponse(req, resp, body)
		}
		if err != nil {
			if failures.Add(1) <= 5 {
				t.Errorf("%s %s: %v", req.method, req.path, err)
			}
		}
		n, _ := statusCounts.LoadOrStore(resp.StatusCode, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
	}

	warmup := min(total/10, 2000)
	var next atomic.Int64
	work := func(limit int) {
		var wg sync.WaitGroup
		for range clients {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= limit {
						return
					}
					send(i)
				}
			})
		}
		wg.Wait()
	}
	start := time.Now()
	work(warmup)
	heapAfterWarmup = heapInUse()
	work(total)
	elapsed := time.Since(start)
	heapAtEnd := heapInUse()

	for _, s := range servers {
		s.Close()
	}
	transport.CloseIdleConnections()
	goroutinesAfter := runtime.NumGoroutine()
	for deadline := time.Now().Add(10 * time.Second); goroutinesAfter > goroutinesBefore && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		goroutinesAfter = runtime.NumGoroutine()
	}
	if goroutinesAfter > goroutinesBefore {
		var stacks strings.Builder
		_ = pprof.Lookup("goroutine").WriteTo(&stacks, 1)
		t.Fatalf("goroutines: %d before the servers, %d after:\n%s", goroutinesBefore, goroutinesAfter, stacks.String())
	}

	counts := map[int]int64{}
	statusCounts.Range(func(k, v any) bool {
		counts[k.(int)] = v.(*atomic.Int64).Load()
		return true
	})
	var summary []string
	for _, code := range slices.Sorted(maps.Keys(counts)) {
		summary = append(summary, fmt.Sprintf("%d×%d", code, counts[code]))
	}
	t.Logf("soak: %d requests in %v (%.0f/s), %d clients; statuses %s; failures %d; goroutines %d before, %d after; heap in use %.1f MiB after warm-up, %.1f MiB at the end",
		total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), clients, strings.Join(summary, " "),
		failures.Load(), goroutinesBefore, goroutinesAfter, float64(heapAfterWarmup)/(1<<20), float64(heapAtEnd)/(1<<20))

	assert.Zero(t, failures.Load())
	assert.LessOrEqual(t, heapAtEnd, heapAfterWarmup+heapAfterWarmup/2+8<<20, "the heap grew")
}

// heapInUse returns the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// checkSoakResponse checks one response of the mix.
func checkSoakResponse(req soakRequest, resp *http.Response, body []byte) error {
	if resp.StatusCode != req.status {
		return fmt.Errorf("status %d, want %d: %s", resp.StatusCode, req.status, body)
	}
	if resp.StatusCode < 400 {
		return nil
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		return fmt.Errorf("Content-Type %q", ct)
	}
	if req.method == http.MethodHead {
		if len(body) != 0 {
			return fmt.Errorf("HEAD with a body")
		}
		return nil
	}
	var p problem.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		return err
	}
	if p.Status != resp.StatusCode || p.Title == "" {
		return fmt.Errorf("bad problem %s", body)
	}
	if strings.Contains(string(body), "boom") || strings.Contains(string(body), "db down") {
		return fmt.Errorf("leaked: %s", body)
	}
	return nil
}
