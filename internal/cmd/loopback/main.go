// Command loopback measures, over a real loopback connection, how many
// requests per second an erroring endpoint serves next to a succeeding one,
// both behind problemkit's net/http middleware.
//
//	go run ./internal/cmd/loopback -n 20000 -c 8 -rounds 5
//
// It starts an http.Server on 127.0.0.1 with two endpoints that send bodies
// of the same length and the same header fields:
//
//   - /ok: a handler behind Middleware.Handle that writes a prebuilt 200
//     application/json body and returns nil;
//   - /error: a handler behind Middleware.Handle that returns
//     problem.New(404, ""), which the middleware writes as a problem.
//
// A load generator sends -n requests to each endpoint per round from -c
// workers over at most -c kept-alive connections, reading every body to the
// end, and stops by itself. Each of the -rounds rounds runs /ok, then
// /error (ok, error, ok, error, ...), so that both share the noise of the
// machine alike. It prints the requests per second of each run, the
// medians, the ratio of the error median to the success median, and the
// connections the server accepted (-c when every one was kept alive).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loopback:", err)
		os.Exit(1)
	}
}

// run parses args, serves, drives the load and writes the report to out.
func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("loopback", flag.ContinueOnError)
	n := fs.Int("n", 20000, "requests per endpoint per round")
	c := fs.Int("c", 8, "concurrent requests (and connections)")
	rounds := fs.Int("rounds", 5, "rounds; each runs both endpoints once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *c < 1 || *rounds < 1 {
		return errors.New("-n, -c and -rounds must be at least 1")
	}

	h, err := newHandler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var conns atomic.Int64 // connections the server accepted
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ConnState: func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		},
	}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()

	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns:        *c,
		MaxIdleConnsPerHost: *c,
		MaxConnsPerHost:     *c, // no extra dials while a used connection returns to the pool
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}}
	defer client.CloseIdleConnections()

	base := "http://" + ln.Addr().String()
	endpoints := []endpoint{
		{name: "success", url: base + "/ok", status: http.StatusOK},
		{name: "error", url: base + "/error", status: http.StatusNotFound},
	}
	if err := describe(out, client, endpoints); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d requests per endpoint per round, %d concurrent, %d rounds\n", *n, *c, *rounds)

	// Warm up: open the connections and let both paths settle.
	for _, e := range endpoints {
		if _, err := drive(client, e, min(*n, 1000), *c); err != nil {
			return err
		}
	}
	rates := make([][]float64, len(endpoints))
	for r := 1; r <= *rounds; r++ {
		fmt.Fprintf(out, "round %d:", r)
		for i, e := range endpoints {
			if i > 0 {
				fmt.Fprint(out, ",")
			}
			rate, err := drive(client, e, *n, *c)
			if err != nil {
				return err
			}
			rates[i] = append(rates[i], rate)
			fmt.Fprintf(out, " %s %.0f req/s", e.name, rate)
		}
		fmt.Fprintln(out)
	}
	ok, bad := median(rates[0]), median(rates[1])
	fmt.Fprintf(out, "median: success %.0f req/s, error %.0f req/s\n", ok, bad)
	fmt.Fprintf(out, "ratio error/success: %.3f\n", bad/ok)
	fmt.Fprintf(out, "connections: %d\n", conns.Load())
	return nil
}

// newHandler returns the server's handler: a ServeMux behind Wrap with the
// two endpoints. The success body is as long as the problem body, and is
// sent with the same header fields.
func newHandler() (http.Handler, error) {
	m := middleware.New(&middleware.Options{Logger: slog.New(slog.DiscardHandler)})
	notFound := m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return problem.New(http.StatusNotFound, "")
	})

	rec := httptest.NewRecorder()
	notFound.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/error", nil))
	if rec.Code != http.StatusNotFound {
		return nil, fmt.Errorf("/error answers %d, want 404", rec.Code)
	}
	body, err := jsonOfLength(rec.Body.Len())
	if err != nil {
		return nil, err
	}
	header := rec.Result().Header
	header.Set("Content-Type", "application/json")

	mux := http.NewServeMux()
	mux.Handle("GET /error", notFound)
	mux.Handle("GET /ok", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		h := w.Header()
		for k, v := range header {
			h[k] = v
		}
		w.WriteHeader(http.StatusOK)
		_, err := w.Write(body)
		return err
	}))
	return m.Wrap(mux), nil
}

// jsonOfLength returns a JSON object of exactly size bytes.
func jsonOfLength(size int) ([]byte, error) {
	const prefix, suffix = `{"status":"ok","padding":"`, `"}`
	pad := size - len(prefix) - len(suffix)
	if pad < 0 {
		return nil, fmt.Errorf("a %d-byte body is too short to pad", size)
	}
	return []byte(prefix + strings.Repeat("x", pad) + suffix), nil
}

type endpoint struct {
	name   string
	url    string
	status int
}

// describe prints what each endpoint sends, and fails unless both send
// bodies of one length and the same number of header fields.
func describe(out io.Writer, client *http.Client, endpoints []endpoint) error {
	var lengths, fields []int
	for _, e := range endpoints {
		resp, err := client.Get(e.url)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != e.status {
			return fmt.Errorf("%s answers %d, want %d", e.url, resp.StatusCode, e.status)
		}
		var names []string
		for k := range resp.Header {
			if k != "Date" {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		fmt.Fprintf(out, "%s: %d %s, %d-byte body, header fields %s\n", e.name, resp.StatusCode, resp.Header.Get("Content-Type"), len(body), strings.Join(names, " "))
		lengths = append(lengths, len(body))
		fields = append(fields, len(names))
	}
	if slices.Min(lengths) != slices.Max(lengths) || slices.Min(fields) != slices.Max(fields) {
		return errors.New("the endpoints differ in body length or header fields")
	}
	return nil
}

// drive sends n GET requests to e from c workers and returns the requests
// per second. Every response must have e's status; its body is read to the
// end so that the connection is reused.
func drive(client *http.Client, e endpoint, n, c int) (float64, error) {
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	start := time.Now()
	for range min(c, n) {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if err := get(client, e); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return 0, firstErr
	}
	return float64(n) / elapsed.Seconds(), nil
}

func get(client *http.Client, e endpoint) error {
	resp, err := client.Get(e.url)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != e.status {
		return fmt.Errorf("%s answered %d, want %d", e.url, resp.StatusCode, e.status)
	}
	return nil
}

// median returns the median of xs, which must not be empty.
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
