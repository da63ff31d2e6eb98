// Command catalog is the API of Parcelly, a fictional parcel service, whose
// answers and docs come from one catalog, in English and in Chinese, so
// that neither can drift from the other.
//
// # The catalog files
//
// vendor.json is Parcelly's catalog, in English: its status table, with
// its own phrases ("BadRequest", "TooManyRequests", "ServerTimeout"),
// descriptions and retry guidance, and its error codes, each a problem
// type with a code ("PCL.0404"), a status, a title, a description and,
// where it differs from its status's, retry guidance ("PCL.0430": repeat
// after an hour). vendor.zh.json translates the texts into Chinese; it
// holds texts only, for codes vendor.json has.
//
// # The API
//
//	go run ./examples/catalog -serve
//
// serves the API and prints curl commands to try. Each handler returns
// one of the catalog's error codes in one line (problem.MustType makes
// them at startup, and stops the program if the catalog lacks one):
//
//	return e.parcelNotFound // 404 PCL.0404
//
// Each answer is a problem (RFC 9457) in the language the client asks for
// with Accept-Language, among the catalog's: zh and zh-CN get Chinese, en,
// de or no header English. Content-Language names the language sent, and
// Vary carries Accept-Language. Titles come from the catalog; the
// validation errors of POST /shipments (github.com/go-playground/validator)
// come in the same language, with the validator's Chinese translations;
// Retry-After is the catalog's (30 s for PCL.0429, an hour for PCL.0430,
// 120 s for PCL.0503).
//
//	curl -i -H 'Accept-Language: zh' localhost:8080/parcels/P9
//
// answers (header fields sorted, Date left out)
//
//	HTTP/1.1 404 Not Found
//	Cache-Control: no-store
//	Content-Language: zh
//	Content-Length: 159
//	Content-Type: application/problem+json
//	Vary: Accept
//	Vary: Accept-Language
//	X-Content-Type-Options: nosniff
//	...
//
//	{"type":"https://docs.parcelly.example/errors/PCL.0404","title":"没有与此运单号对应的包裹","status":404,"instance":"/parcels/P9","code":"PCL.0404"}
//
// # The type pages
//
// Each problem's type is the URI of its error code's page: the server
// serves the catalog's pages (catalog.Catalog.Pages) under the path of
// vendor.json's typeBase, so that the path of every type it sends leads to
// its page on the same server: /errors/PCL.0404 for
// https://docs.parcelly.example/errors/PCL.0404, the page of each status
// at /errors/status/404, and the index of all at /errors/. A page is HTML
// for a browser (Accept: text/html) and JSON otherwise, in the language
// Accept-Language asks for:
//
//	curl -H 'Accept: text/html' localhost:8080/errors/PCL.0404
//	curl -H 'Accept-Language: zh' localhost:8080/errors/PCL.0404
//
// # The docs
//
//	go run ./examples/catalog            # the error tables in English, in Markdown
//	go run ./examples/catalog -lang zh   # the same in Chinese
//	go run ./examples/catalog -openapi   # the OpenAPI 3.1 document
//
// The Markdown docs hold the statuses vendor.json lists and all its error
// codes: the status table, then the error-code table (Status, Code, Title,
// Description, What to do). The OpenAPI document is api.json, the API's
// paths (the type pages among them) written by hand, whose problem
// responses reference the catalog's components
// ("#/components/responses/NotFound"), with those components merged into
// it (catalog.Catalog.MergeOpenAPI); its problem schemas allow no member
// they do not name. errors.en.md, errors.zh.md and openapi.json
// in this directory are the generated docs; a test fails if they no
// longer match the catalog files and api.json, another compares the API's
// responses, byte for byte, with those under testdata/, and another
// validates each of them against openapi.json (with kin-openapi and
// problemtest.Described).
package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/go-playground/locales/zh"
	zh_translations "github.com/go-playground/validator/v10/translations/zh"
	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemvalidator"
)

var (
	//go:embed vendor.json
	vendorCatalog []byte
	//go:embed vendor.zh.json
	vendorChinese []byte
	//go:embed api.json
	apiSpec []byte
)

func main() {
	openapi := flag.Bool("openapi", false, "print the OpenAPI 3.1 document (api.json with the catalog's components) instead of the Markdown docs")
	lang := flag.String("lang", "en", "the language of the Markdown docs: en or zh")
	serve := flag.Bool("serve", false, "serve the demo API instead of printing docs")
	addr := flag.String("addr", defaultAddr(), "address for -serve (or set PORT)")
	flag.Parse()

	cat, err := load()
	if err != nil {
		log.Fatal(err)
	}
	switch {
	case *serve:
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			log.Fatal(err)
		}
		if err := writeTryIt(os.Stdout, "http://"+ln.Addr().String()); err != nil {
			log.Fatal(err)
		}
		srv := &http.Server{Handler: newAPI(cat, slog.Default()), ReadHeaderTimeout: 5 * time.Second}
		log.Fatal(srv.Serve(ln))
	case *openapi:
		err = writeOpenAPI(os.Stdout, cat)
	default:
		tag, perr := language.Parse(*lang)
		if perr != nil || !slices.Contains(cat.Languages(), tag) {
			log.Fatalf("-lang %q: want one of %v", *lang, cat.Languages())
		}
		err = writeDocs(os.Stdout, cat, tag)
	}
	if err != nil {
		log.Fatal(err)
	}
}

// tryIt is what -serve prints, with the base URL for %[1]s; a tab sets
// off each comment, which writeTryIt aligns.
const tryIt = `Parcelly demo on %[1]s, answering in English or Chinese. Try:

  curl -i %[1]s/parcels/P1	# 200
  curl -i %[1]s/parcels/P9	# 404 PCL.0404, in English
  curl -i -H 'Accept-Language: zh' %[1]s/parcels/P9	# the same in Chinese, Content-Language: zh
  curl -i -H 'Accept-Language: zh-CN' %[1]s/parcels/P9	# zh-CN falls back to zh
  curl -i -H 'Accept-Language: de' %[1]s/parcels/P9	# no German: English, Content-Language: en
  curl -i -H 'Accept-Language: zh' %[1]s/track/P1	# 401 PCL.0401, with a Bearer challenge
  curl -i -H 'Authorization: Bearer demo' %[1]s/track/P1	# 403 PCL.0403
  curl -i %[1]s/quota; curl -i %[1]s/quota	# 200, then 429 PCL.0429 with Retry-After: 30
  curl -i %[1]s/labels/P1	# 503 PCL.0503 with Retry-After: 120
  curl -i -H 'Accept-Language: zh' %[1]s/depots/slow	# 504 PCL.0504

  # 422 PCL.0422, the validator's messages in Chinese:
  curl -i -H 'Accept-Language: zh' -H 'Content-Type: application/json' \
       -d '{"postcode":"12","weightKg":45}' %[1]s/shipments

Each problem's type, such as https://docs.parcelly.example/errors/PCL.0404,
has its page here, at the type's path (the index of all at %[1]s/errors/):

  curl -H 'Accept: text/html' %[1]s/errors/PCL.0404	# the page of PCL.0404, for a browser
  curl %[1]s/errors/PCL.0404	# the same as JSON
  curl -H 'Accept-Language: zh' %[1]s/errors/PCL.0404	# in Chinese

`

// writeTryIt writes tryIt for the API at base, with the comments of each
// block of commands aligned.
func writeTryIt(w io.Writer, base string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, tryIt, base)
	return tw.Flush()
}

func defaultAddr() string {
	if port := os.Getenv("PORT"); port != "" {
		return "localhost:" + port
	}
	return "localhost:8080"
}

// load reads vendor.json and its Chinese translation.
func load() (*catalog.Catalog, error) {
	cat, err := catalog.Load(bytes.NewReader(vendorCatalog))
	if err != nil {
		return nil, fmt.Errorf("vendor.json: %w", err)
	}
	cat, err = cat.WithTranslation(bytes.NewReader(vendorChinese))
	if err != nil {
		return nil, fmt.Errorf("vendor.zh.json: %w", err)
	}
	return cat, nil
}

// writeDocs writes the docs in the language tag: the statuses vendor.json
// lists (Load adds the others of the default catalog) and the error codes.
func writeDocs(w io.Writer, cat *catalog.Catalog, tag language.Tag) error {
	return cat.WriteMarkdownIn(w, tag)
}

// openapiOptions are the options of the catalog's OpenAPI components:
// problems of PCL.0422 carry the validator's input errors, and no problem
// has a member the document does not name.
var openapiOptions = catalog.OpenAPIOptions{InputErrorTypes: []string{"PCL.0422"}, Closed: true}

// writeOpenAPI writes openapi.json: api.json, the API's paths, with the
// catalog's components, which its responses reference, merged into it.
func writeOpenAPI(w io.Writer, cat *catalog.Catalog) error {
	doc, err := cat.MergeOpenAPI(apiSpec, &openapiOptions)
	if err != nil {
		return fmt.Errorf("api.json: %w", err)
	}
	if !bytes.HasSuffix(doc, []byte("\n")) {
		doc = append(doc, '\n')
	}
	_, err = w.Write(doc)
	return err
}

// shipment is the body of POST /shipments.
type shipment struct {
	Recipient string  `json:"recipient" validate:"required"`
	Postcode  string  `json:"postcode" validate:"len=5,number"`
	WeightKg  float64 `json:"weightKg" validate:"gt=0,lte=30"`
}

// errorCodes are the catalog's error codes the handlers return.
type errorCodes struct {
	badJSON, noKey, mayNotTrack, parcelNotFound, invalidShipment,
	tooManyRequests, labelsDown, depotTimeout problem.Type
}

// newAPI is Parcelly's API: its errors are the catalog's error codes, sent
// with the titles and Retry-After the catalog gives them, in the language
// the client asks for.
func newAPI(cat *catalog.Catalog, logger *slog.Logger) http.Handler {
	e := errorCodes{
		badJSON:         problem.MustType(cat, "PCL.0400"),
		noKey:           problem.MustType(cat, "PCL.0401"),
		mayNotTrack:     problem.MustType(cat, "PCL.0403"),
		parcelNotFound:  problem.MustType(cat, "PCL.0404"),
		invalidShipment: problem.MustType(cat, "PCL.0422"),
		tooManyRequests: problem.MustType(cat, "PCL.0429"),
		labelsDown:      problem.MustType(cat, "PCL.0503"),
		depotTimeout:    problem.MustType(cat, "PCL.0504"),
	}
	validate := problemvalidator.New(nil)
	validate.Type = e.invalidShipment
	if err := validate.AddTranslation(zh.New(), zh_translations.RegisterDefaultTranslations); err != nil {
		panic(err) // the validator's own translations: a programming error
	}
	m := middleware.New(&middleware.Options{
		Catalog:   cat,
		Logger:    logger,
		Challenge: `Bearer realm="parcelly"`,
		Mappers:   []problem.Mapper{problem.MapIs(context.DeadlineExceeded, e.depotTimeout)},
	})
	parcels := map[string]string{"P1": "in transit"}
	var mu sync.Mutex
	used := 0

	mux := http.NewServeMux()
	// The page of each error code at the path of its type URI
	// (https://docs.parcelly.example/errors/PCL.0404 at /errors/PCL.0404),
	// the index at /errors/. A path with no page is answered as any other
	// unknown path: by the middleware, with the catalog's 404.
	mux.Handle("/errors/", cat.Pages(&catalog.PagesOptions{
		Error: func(w http.ResponseWriter, r *http.Request, status int) {
			m.WriteError(w, r, problem.New(status, ""))
		},
	}))
	mux.Handle("GET /parcels/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		state, ok := parcels[r.PathValue("id")]
		if !ok {
			return e.parcelNotFound
		}
		w.Header().Set("Content-Type", "application/json")
		_, err := fmt.Fprintf(w, "{\"id\":%q,\"state\":%q}\n", r.PathValue("id"), state)
		return err
	}))
	mux.Handle("GET /track/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return e.noKey
		}
		return e.mayNotTrack
	}))
	mux.Handle("POST /shipments", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		var s shipment
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&s); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return err // 413, from the catalog
			}
			return e.badJSON
		}
		if err := validate.Validate(&s); err != nil {
			return err // 422 PCL.0422 naming each field
		}
		w.WriteHeader(http.StatusCreated)
		return nil
	}))
	mux.Handle("GET /quota", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		mu.Lock()
		used++
		n := used
		mu.Unlock()
		if n > 1 {
			return e.tooManyRequests // Retry-After from the catalog
		}
		_, err := io.WriteString(w, "ok\n")
		return err
	}))
	mux.Handle("GET /labels/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		return e.labelsDown
	}))
	mux.Handle("GET /depots/slow", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), 50*time.Millisecond)
		defer cancel()
		<-ctx.Done()
		return fmt.Errorf("ask depot: %w", ctx.Err()) // PCL.0504, by the mapper
	}))
	return m.Wrap(mux)
}
