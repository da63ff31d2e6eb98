// Command catalog shows a vendor's status table, kept as a catalog file,
// driving both the API's answers and its docs, so the two cannot drift.
//
// vendor.json is the status table of Parcelly, a fictional parcel API, in
// the catalog format: its own phrases ("BadRequest", "TooManyRequests",
// "ServerTimeout"), descriptions and retry guidance.
//
//	go run ./examples/catalog                  # the docs table of 4xx and 5xx codes, in Markdown
//	go run ./examples/catalog -openapi         # the same as OpenAPI 3.1 components
//	go run ./examples/catalog -serve           # the API, answering as documented
//	go run ./examples/catalog -file other.json # another catalog file
//
// STATUS.md and openapi.json in this directory are the generated docs; a
// test fails if they no longer match vendor.json.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

//go:embed vendor.json
var vendorCatalog []byte

func main() {
	file := flag.String("file", "", "a catalog file to use instead of vendor.json")
	openapi := flag.Bool("openapi", false, "print OpenAPI 3.1 components instead of a Markdown table")
	serve := flag.Bool("serve", false, "serve the demo API instead of printing docs")
	addr := flag.String("addr", defaultAddr(), "address for -serve (or set PORT)")
	flag.Parse()

	cat, err := load(*file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	switch {
	case *serve:
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			log.Fatal(err)
		}
		base := "http://" + ln.Addr().String()
		fmt.Printf(`Parcelly demo on %[1]s, answering with the catalog's phrases and delays. Try:

  curl -i %[1]s/parcels/P1        # 200
  curl -i %[1]s/parcels/P9        # 404 NotFound
  curl -i %[1]s/track             # 401 Unauthorized, with a Bearer challenge
  curl -i %[1]s/quota; curl -i %[1]s/quota   # 200, then 429 TooManyRequests with Retry-After: 30 from the catalog
  curl -i %[1]s/depots/slow       # 504 ServerTimeout

`, base)
		srv := &http.Server{Handler: newAPI(cat, slog.Default()), ReadHeaderTimeout: 5 * time.Second}
		log.Fatal(srv.Serve(ln))
	case *openapi:
		err = cat.WriteOpenAPI(os.Stdout)
	default:
		err = cat.Subset(errorsOnly).WriteMarkdown(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func defaultAddr() string {
	if port := os.Getenv("PORT"); port != "" {
		return "localhost:" + port
	}
	return "localhost:8080"
}

// errorsOnly keeps the 4xx and 5xx entries: the error table of the docs.
func errorsOnly(e catalog.Entry) bool { return e.Code >= 400 }

// load reads the catalog file, or vendor.json when file is "".
func load(file string) (*catalog.Catalog, error) {
	var r io.Reader = bytes.NewReader(vendorCatalog)
	name := "vendor.json"
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r, name = f, file
	}
	cat, err := catalog.Load(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return cat, nil
}

var errNoParcel = errors.New("no such parcel")

// newAPI is a small parcel API whose errors take their titles and
// Retry-After from the catalog.
func newAPI(cat *catalog.Catalog, logger *slog.Logger) http.Handler {
	m := middleware.New(&middleware.Options{
		Catalog:   cat,
		Logger:    logger,
		Challenge: `Bearer realm="parcelly"`,
		Mappers:   []problem.Mapper{problem.MapIs(errNoParcel, problem.Type{Status: http.StatusNotFound})},
	})
	parcels := map[string]string{"P1": "in transit"}
	var mu sync.Mutex
	used := 0

	mux := http.NewServeMux()
	mux.Handle("GET /parcels/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		state, ok := parcels[r.PathValue("id")]
		if !ok {
			return fmt.Errorf("parcel %s: %w", r.PathValue("id"), errNoParcel)
		}
		w.Header().Set("Content-Type", "application/json")
		_, err := fmt.Fprintf(w, "{\"id\":%q,\"state\":%q}\n", r.PathValue("id"), state)
		return err
	}))
	mux.Handle("GET /track", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return problem.New(http.StatusUnauthorized, "send your API key as a Bearer token")
		}
		return problem.New(http.StatusForbidden, "this key may not track parcels")
	}))
	mux.Handle("GET /quota", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		mu.Lock()
		used++
		n := used
		mu.Unlock()
		if n > 1 {
			return problem.New(http.StatusTooManyRequests, "the demo allows one request") // Retry-After from the catalog
		}
		_, err := io.WriteString(w, "ok\n")
		return err
	}))
	mux.Handle("GET /depots/slow", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), 50*time.Millisecond)
		defer cancel()
		<-ctx.Done()
		return fmt.Errorf("ask depot: %w", ctx.Err()) // context.DeadlineExceeded: 504
	}))
	return m.Wrap(mux)
}
