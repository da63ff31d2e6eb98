// Command nethttp is a small net/http API behind problemkit's middleware.
// Every error it produces, whether a handler returned it, the router, a body
// limit or a timeout wrote it, or a panic caused it, comes out as an RFC 9457
// problem.
//
//	go run ./examples/nethttp            # listens on localhost:8080
//	go run ./examples/nethttp -addr 127.0.0.1:9000
//	PORT=9000 go run ./examples/nethttp
//
// It prints a curl command for each behaviour when it starts.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// errNotFound is the store's sentinel; a mapper turns it into a 404.
var errNotFound = errors.New("store: no such item")

// outOfStock is a problem type of this API.
var outOfStock = problem.Type{
	URI:    "https://example.com/probs/out-of-stock",
	Title:  "The item is out of stock.",
	Status: http.StatusConflict,
}

type item struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Stock int    `json:"stock"`
}

type store struct {
	mu    sync.Mutex
	items map[string]item
}

func (s *store) get(id string) (item, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[id]
	if !ok {
		return item{}, fmt.Errorf("get %q: %w", id, errNotFound)
	}
	return it, nil
}

func main() {
	addr := flag.String("addr", defaultAddr(), "address to listen on")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := middleware.New(&middleware.Options{
		Logger:  logger,
		Mappers: []problem.Mapper{problem.MapIs(errNotFound, problem.Type{Status: http.StatusNotFound})},
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: m.Wrap(newMux(m)), ReadHeaderTimeout: 5 * time.Second}
	printUsage("http://" + ln.Addr().String())
	log.Fatal(srv.Serve(ln))
}

func defaultAddr() string {
	if port := os.Getenv("PORT"); port != "" {
		return "localhost:" + port
	}
	return "localhost:8080"
}

func newMux(m *middleware.Middleware) *http.ServeMux {
	db := &store{items: map[string]item{
		"1": {ID: "1", Name: "teapot", Stock: 3},
		"2": {ID: "2", Name: "kettle", Stock: 0},
	}}
	var limiter sync.Mutex
	last := time.Time{}

	mux := http.NewServeMux()
	mux.Handle("GET /items/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		it, err := db.get(r.PathValue("id"))
		if err != nil {
			return err // a 404 through the mapper
		}
		w.Header().Set("Content-Type", "application/json")
		return json.NewEncoder(w).Encode(it)
	}))
	mux.Handle("GET /limited", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		// One request every ten seconds: a 429 with Retry-After.
		limiter.Lock()
		wait := time.Until(last.Add(10 * time.Second))
		if wait <= 0 {
			last = time.Now()
		}
		limiter.Unlock()
		if wait > 0 {
			return problem.New(http.StatusTooManyRequests, "one request every ten seconds, please").WithRetryAfter(wait)
		}
		fmt.Fprintln(w, "ok")
		return nil
	}))
	mux.Handle("POST /items/{id}/orders", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		// Bodies over 64 bytes: a 413 from http.MaxBytesReader.
		var order struct {
			Quantity int    `json:"quantity"`
			Email    string `json:"email"`
		}
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64))
		if err := dec.Decode(&order); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return err
			}
			return problem.New(http.StatusBadRequest, "the body is not a JSON order")
		}
		if errs := validate(order.Quantity, order.Email); len(errs) > 0 {
			return problem.Type{URI: "https://example.com/probs/validation", Title: "The order is not valid.", Status: http.StatusUnprocessableEntity}.
				New("").WithExtension("errors", errs)
		}
		it, err := db.get(r.PathValue("id"))
		if err != nil {
			return err
		}
		if it.Stock < order.Quantity {
			return outOfStock.Newf("only %d left of %s", it.Stock, it.Name).WithExtension("stock", it.Stock)
		}
		w.WriteHeader(http.StatusCreated)
		return nil
	}))
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) {
		panic("something broke: the secret is hunter2")
	})
	mux.Handle("GET /slow", http.TimeoutHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Second) // a handler that ignores its context, as TimeoutHandler exists for
	}), 100*time.Millisecond, ""))
	return mux
}

// validate checks an order as a validator would, naming each field with a
// JSON Pointer.
func validate(quantity int, email string) []map[string]any {
	var errs []map[string]any
	if quantity < 1 {
		errs = append(errs, map[string]any{"detail": "must be at least 1", "pointer": "#/quantity"})
	}
	if !strings.Contains(email, "@") {
		errs = append(errs, map[string]any{"detail": "must be an email address", "pointer": "#/email"})
	}
	return errs
}

func printUsage(base string) {
	fmt.Printf(`problemkit net/http demo on %[1]s. Try:

  curl -i %[1]s/items/1                      # 200
  curl -i %[1]s/items/9                      # 404 from a mapped sentinel error
  curl -i %[1]s/nope                         # 404 written by ServeMux, rewritten
  curl -i -X DELETE %[1]s/items/1            # 405 from ServeMux, Allow kept
  curl -i -X POST %[1]s/items/1/orders -d '{"quantity":0,"email":"x"}'   # 422 with errors[]
  curl -i -X POST %[1]s/items/2/orders -d '{"quantity":1,"email":"a@b.c"}'   # 409 out of stock (typed problem)
  curl -i -X POST %[1]s/items/1/orders -d '{"email":"%[2]s"}'   # 413 body too large
  curl -i %[1]s/limited; curl -i %[1]s/limited   # 200, then 429 with Retry-After
  curl -i %[1]s/panic                        # 500, nothing leaked
  curl -i %[1]s/slow                         # 503 from http.TimeoutHandler
  curl -i -H 'Accept: application/xml' %[1]s/items/9   # the same problem in XML

`, base, strings.Repeat("a", 80))
}
