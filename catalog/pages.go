package catalog

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/text/language"
)

// PagesOptions are options for [Catalog.Pages]. A nil or zero PagesOptions
// consists entirely of default values.
type PagesOptions struct {
	// Base is the URI the handler's root stands for: a type whose URI
	// starts with Base has its page at the rest of its URI. Empty means
	// the catalog file's "typeBase"; without one, no type has a page, and
	// the index lists the types with their URIs.
	Base string
	// Prefix is the path the handler is mounted at, which it takes off
	// each request's path (in its escaped form) to find the page. Empty
	// means the path of Base ("/errors/" for
	// https://docs.example.com/errors/), or "/" without a Base, so that
	// the handler mounted at that path (mux.Handle("/errors/", h)) serves
	// each type at its URI. A path that does not start with "/" is taken
	// as relative to the root already, as http.StripPrefix("/errors/", h)
	// leaves it; behind http.StripPrefix("/errors", h), set Prefix to "/".
	Prefix string
	// LastModified, when not zero, is sent as Last-Modified with every
	// page, and requests with If-Modified-Since are answered by it. Zero,
	// the default, sends none: a catalog has no time of its own (the time
	// the process started would change with every restart and differ
	// between replicas, while the pages do not), and the ETag, made from
	// each page's bytes, validates exactly. Set it to the time the catalog
	// file last changed, where that is known.
	LastModified time.Time
	// Error, if set, writes every answer with an error status: to the
	// requests that find no page, a path without one (status 404) and a
	// method other than GET and HEAD (405, with Allow already set on w),
	// and to those of a page that http.ServeContent refuses, an
	// unsatisfiable Range (416, with Content-Range: bytes */<length of the
	// page> set) and a failed If-Match or If-Unmodified-Since (412).
	// Give it the service's own error writer, so that these errors come
	// out as its other problems do, for example with middleware's
	//
	//	func(w http.ResponseWriter, r *http.Request, status int) {
	//		m.WriteError(w, r, problem.New(status, ""))
	//	}
	//
	// Nil, the default, sends a page of its own: an HTML page for
	// browsers, else a minimal application/problem+json problem.
	Error func(w http.ResponseWriter, r *http.Request, status int)
}

// Pages returns an http.Handler that serves the catalog's documentation,
// so that each problem type's URI leads to a page for people (RFC 9457
// §3.1.1):
//
//   - each type whose URI is under the base (see [PagesOptions]) at its
//     URI's path relative to the base: https://docs.example.com/errors/APIGW.0301
//     at APIGW.0301;
//   - each status a problem can carry (see [Catalog.Sendable]) that the
//     catalog lists, the documentation of about:blank problems with that
//     status, at status/ followed by the code (status/404). "status/" is
//     a path no type's URI made of the base and its code can take, since
//     the code's own slashes are escaped (status%2F404); a type whose URI
//     was written out as status/404 takes the path, and the status then
//     has no page;
//   - an index of every type and status at the root.
//
// A page is HTML for clients whose Accept prefers text/html, such as
// browsers, and otherwise a JSON document (application/json) with the
// members of a type in the catalog file: "type" (its URI, or about:blank
// for a status), "title", "status", "code" (a type's code; "codeMember"
// too, when the extension member that carries it is not named "code"),
// "description", "retry" ("never", "anytime" or "after-delay") and
// "retryAfter" (the default delay in seconds, when there is one). The index document is {"types": [...], "statuses": [...]}, whose
// entries also name their "page", relative to the index. An HTML page
// shows the title, the status, the code, the description, the retry
// guidance in words ([Entry.RetryGuidanceIn]), the members of a problem of
// the type and an example problem; it escapes every value, holds no script
// and sends the Content-Security-Policy of package problem's HTML page.
//
// The texts are in the language Accept-Language asks for, as
// [Catalog.Negotiate] chooses it, or the one ?lang= names (see
// [MatchLanguage]), which the page's language links set; the labels,
// headings and retry guidance are the docs' fixed words in that language
// (see [Catalog.Markdown] and [LabelsIn]). Every page carries
// Content-Language, a strong ETag made from its bytes, media type and
// language, Vary: Accept, and
// Accept-Language too when the catalog has more than one language (added
// to a Vary set before the handler, such as CORS middleware's Origin,
// which stays). GET and
// HEAD are served with http.ServeContent, which answers If-None-Match and
// If-Modified-Since (see [PagesOptions.LastModified]) with 304, a Range
// with 206, an unsatisfiable Range with 416 (with Content-Range: bytes
// */<length of the page>) and a failed If-Match or If-Unmodified-Since
// with 412; other methods get 405
// with Allow: GET, HEAD, and a path that holds no page gets 404. Every
// answer with an error status, ServeContent's too, is a problem in the
// format the request prefers, an HTML page or an application/problem+json
// problem, with the page's Content-Language and Vary, or the answer of
// [PagesOptions.Error].
//
// A page is fixed for its path, language and format, so each is rendered
// once, on its first request, and its bytes and ETag are kept for the
// later ones: the handler holds at most one rendering of each page in each
// of the catalog's languages as JSON, as HTML and as HTML whose links keep
// ?lang=. The error answers are written for each request.
//
// Pages panics if opts.Base is not an absolute URI or opts.Prefix does not
// start with "/".
func (c *Catalog) Pages(opts *PagesOptions) http.Handler {
	if opts == nil {
		opts = &PagesOptions{}
	}
	h := &pagesHandler{cat: c, base: cmp.Or(opts.Base, c.typeBase), prefix: opts.Prefix, modified: opts.LastModified, onError: opts.Error}
	var baseURL *url.URL
	if h.base != "" {
		var err error
		if baseURL, err = absoluteURI(h.base); err != nil {
			panic(fmt.Sprintf("catalog: PagesOptions.Base %q is not an absolute URI", h.base))
		}
	}
	switch {
	case h.prefix == "" && baseURL != nil && baseURL.EscapedPath() != "":
		h.prefix = baseURL.EscapedPath()
	case h.prefix == "":
		h.prefix = "/"
	case !strings.HasPrefix(h.prefix, "/"):
		panic(fmt.Sprintf("catalog: PagesOptions.Prefix %q does not start with \"/\"", h.prefix))
	}
	h.tail = h.prefix[strings.LastIndexByte(h.prefix, '/')+1:]

	h.pages = map[string]pagesPage{"": {kind: pagesIndex}}
	h.typePaths = make([]string, len(c.types))
	for i, t := range c.types {
		rel, ok := strings.CutPrefix(t.URI, h.base)
		if h.base == "" || !ok || rel == "" || strings.ContainsAny(t.URI, "?#") {
			continue // not under the base, or not a path of its own
		}
		path := pagesCanonical(rel)
		if _, taken := h.pages[path]; taken {
			continue
		}
		h.pages[path] = pagesPage{kind: pagesType, n: i, slot: len(h.pages)}
		h.typePaths[i] = path
	}
	for _, e := range c.entries {
		path := "status/" + strconv.Itoa(e.Code)
		if _, taken := h.pages[path]; taken || !c.Sendable(e.Code) {
			continue
		}
		h.pages[path] = pagesPage{kind: pagesStatus, n: e.Code, slot: len(h.pages)}
		h.statuses = append(h.statuses, e.Code)
	}
	h.langs = c.Languages()
	h.rendered = make([]atomic.Pointer[pagesRendered], len(h.pages)*len(h.langs)*pagesVariants)
	return h
}

// RetryGuidance says in English whether a client may repeat a request
// that failed with the entry's status, as the docs write it: "Change the
// request before repeating it", "May be repeated", "Repeat after
// Retry-After (30 s by default)" or "Repeat after Retry-After". It is "—"
// for an "(Unused)" code and for a code below 400 that is never repeated.
func (e Entry) RetryGuidance() string { return e.RetryGuidanceIn(language.English) }

// RetryGuidanceIn is [Entry.RetryGuidance] in the language tag, written
// in English, Chinese (zh) and German (de) as the Markdown docs write it
// (see [Catalog.Markdown]): in the one of these tag falls back to (see
// [MatchLanguage]), else in English. "请修改请求后再重试" is the Chinese
// for "Change the request before repeating it".
func (e Entry) RetryGuidanceIn(tag language.Tag) string { return docWordsIn(tag).guidance(e) }

// RetryGuidance is [Entry.RetryGuidance] for the type's own retry guidance.
func (t Type) RetryGuidance() string { return t.RetryGuidanceIn(language.English) }

// RetryGuidanceIn is [Entry.RetryGuidanceIn] for the type's own retry
// guidance.
func (t Type) RetryGuidanceIn(tag language.Tag) string {
	return docWordsIn(tag).typeGuidance(t)
}

// pagesCSP is the Content-Security-Policy of every HTML page: nothing may
// load or run, but the page's own inline style. It is package problem's
// (internal/wire.CSP), kept here so that catalog imports nothing of this
// module; a test keeps the two alike.
const pagesCSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

type pagesKind uint8

const (
	pagesIndex pagesKind = iota
	pagesType
	pagesStatus
)

// pagesPage is a page the handler serves: the index, a type (n is its
// position in the catalog's types) or a status (n is its code). slot
// numbers the pages from 0, the index's, for the rendered ones.
type pagesPage struct {
	kind pagesKind
	n    int
	slot int
}

// The representations of a page in one language, each rendered once: its
// JSON document, its HTML page, and its HTML page whose links keep the
// language ?lang= chose.
const (
	pagesJSON = iota
	pagesHTML
	pagesHTMLQuery
	pagesVariants
)

// The media types of the pages.
const (
	pagesHTMLType = "text/html; charset=utf-8"
	pagesJSONType = "application/json"
)

// pagesRendered is a page rendered in one language and format: its bytes
// and its ETag.
type pagesRendered struct {
	body []byte
	etag string
}

type pagesHandler struct {
	cat      *Catalog
	base     string
	prefix   string
	tail     string // the prefix's last segment, which links to pages start with
	modified time.Time
	onError  func(http.ResponseWriter, *http.Request, int) // PagesOptions.Error

	pages     map[string]pagesPage // by canonical path relative to the prefix
	typePaths []string             // by position in the catalog's types; "" for none
	statuses  []int                // the codes of the status pages, in order

	// rendered holds each page once rendered, by slot, language (its
	// place in langs, the catalog's languages) and variant: a page is
	// fixed for these, so it is rendered on its first request and its
	// bytes and ETag served to the later ones. The catalog defines how
	// many there can be; a slot is empty until its page is asked for.
	langs    []language.Tag
	rendered []atomic.Pointer[pagesRendered]
}

// pagesRequest is what the handler made of a request: the format and
// language of its answer, and the page it asks for.
type pagesRequest struct {
	html  bool   // whether the answer is HTML, else JSON
	lang  int    // the language of the answer, as its place in langs
	query string // the language's tag when ?lang= chose it, for the links to keep
	path  string // the request's path relative to the prefix, canonical
	under bool   // whether the request's path is under the prefix
}

func (h *pagesHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := pagesRequest{html: pagesPrefersHTML(r.Header["Accept"])}
	q.lang, q.query = h.language(r)
	q.path, q.under = h.relative(r.URL)
	page, found := h.pages[q.path]
	switch {
	case !q.under || !found:
		h.fail(w, r, q, http.StatusNotFound)
		return
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		h.fail(w, r, q, http.StatusMethodNotAllowed)
		return
	}
	rendered, err := h.render(page, q.path, q.lang, q.query, q.html)
	if err != nil {
		// The templates and documents are fixed and their values are
		// strings: this is a bug, not a request's fault.
		h.fail(w, r, q, http.StatusInternalServerError)
		return
	}
	// ServeContent labels the page with the Content-Type set (it sniffs
	// none) and judges If-Match and If-None-Match by the ETag; the
	// writer sets the page's other fields once ServeContent answers with
	// the page, or writes the error answer if it refuses it.
	hdr := w.Header()
	if q.html {
		hdr.Set("Content-Type", pagesHTMLType)
	} else {
		hdr.Set("Content-Type", pagesJSONType)
	}
	hdr.Set("Etag", rendered.etag)
	sw := &pagesServeWriter{ResponseWriter: w, h: h, r: r, q: q, encoding: hdr["Content-Encoding"]}
	sw.page.Reset(rendered.body)
	http.ServeContent(sw, r, "", h.modified, &sw.page)
}

// describe sets the header fields of every answer, the pages' and the
// errors': their security, language and Vary.
func (h *pagesHandler) describe(hdr http.Header, html bool, lang int) {
	if html {
		hdr.Set("Content-Security-Policy", pagesCSP)
	}
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Language", h.langs[lang].String())
	if h.cat.Matcher() != nil {
		pagesVary(hdr, "Accept, Accept-Language", "Accept", "Accept-Language")
	} else {
		pagesVary(hdr, "Accept", "Accept")
	}
}

// pagesVary adds the request fields names to the Vary of hdr, all (their
// list, joined) when it has none, else those it does not list yet, in any
// case: a Vary set outside, such as CORS middleware's Origin, stays, since
// a cache that lost it would serve one origin's answer to another (RFC
// 9110 §12.5.5). A Vary of "*" varies on everything already.
func pagesVary(hdr http.Header, all string, names ...string) {
	outside := hdr["Vary"]
	if len(outside) == 0 {
		hdr["Vary"] = []string{all}
		return
	}
	var missing []string
	for _, name := range names {
		listed := false
		listElements(outside, func(elem string) {
			listed = listed || elem == "*" || strings.EqualFold(elem, name)
		})
		if !listed {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		hdr.Add("Vary", strings.Join(missing, ", "))
	}
}

// fail writes every answer of the handler with an error status: the
// answer of PagesOptions.Error when set, else a problem of its own, an
// HTML page when q prefers HTML (and it renders), an
// application/problem+json problem otherwise, without a body for HEAD.
// The header of w holds the fields the status calls for, if any, and none
// of a page's: Allow for a 405, Content-Range for a 416.
func (h *pagesHandler) fail(w http.ResponseWriter, r *http.Request, q pagesRequest, status int) {
	if h.onError != nil {
		h.onError(w, r, status)
		return
	}
	tag := h.langs[q.lang]
	var body []byte
	html := q.html
	if html {
		var err error
		if body, err = h.html(h.errorView(status, q, tag)); err != nil {
			html = false // a bug, as in ServeHTTP: the problem does not need the template
		}
	}
	hdr := w.Header()
	if html {
		hdr.Set("Content-Type", pagesHTMLType)
	} else {
		title, _ := json.Marshal(h.cat.TitleIn(tag, status))
		body = fmt.Appendf(nil, `{"type":"about:blank","title":%s,"status":%d}`, title, status)
		hdr.Set("Content-Type", "application/problem+json")
	}
	h.describe(hdr, html, q.lang)
	if len(hdr["Content-Encoding"]) == 0 {
		// Under an encoding set outside, the length is the encoder's to
		// tell, as ServeContent has it for a page.
		hdr.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// pagesServeWriter is the ResponseWriter ServeContent writes a page to.
// An answer with the page (200, 206) or without it (304) goes through
// with the page's fields (see [pagesHandler.describe]); for an error
// status (a 412 of a failed precondition, a 416 of an unsatisfiable
// Range), it writes the handler's error answer ([pagesHandler.fail])
// instead, and drops what ServeContent writes after.
type pagesServeWriter struct {
	http.ResponseWriter
	h     *pagesHandler
	r     *http.Request
	q     pagesRequest
	state pagesServeState
	page  bytes.Reader // the page's bytes for ServeContent, here so that a GET allocates one object for both

	// encoding is the Content-Encoding set outside, before ServeContent,
	// which takes it off its 416 (net/http's serveError) though a
	// compressor outside goes on compressing: the error answer keeps it,
	// as a 404 does.
	encoding []string
}

type pagesServeState uint8

const (
	pagesServing pagesServeState = iota // no status written yet
	pagesServed                         // ServeContent's status written, its body goes through
	pagesFailed                         // the error answer written, ServeContent's dropped
)

// pagesServeFields are the header fields ServeContent and the handler
// set for a page. The error answer keeps those of its status
// (pagesServeKeeps) and writes its own.
var pagesServeFields = [...]string{"Content-Type", "Content-Length", "X-Content-Type-Options", "Accept-Ranges", "Content-Range", "Etag", "Last-Modified"}

// pagesServeKeeps reports whether the error answer with status keeps the
// field of ServeContent's answer: a 416 its Content-Range: bytes */<length
// of the page> (RFC 9110 §15.5.17). Other errors keep none, a 412 not the
// page's ETag and Last-Modified either: the error's content is not the
// page (§6.4.2), and validators describe the content they come with, as
// the middleware's problems have it too.
func pagesServeKeeps(status int, field string) bool {
	return status == http.StatusRequestedRangeNotSatisfiable && field == "Content-Range"
}

func (w *pagesServeWriter) WriteHeader(code int) {
	if w.state != pagesServing {
		return // as net/http, which ignores a second status
	}
	hdr := w.ResponseWriter.Header()
	if code < http.StatusBadRequest {
		w.state = pagesServed
		w.h.describe(hdr, w.q.html, w.q.lang)
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.state = pagesFailed
	for _, k := range pagesServeFields {
		if !pagesServeKeeps(code, k) {
			hdr.Del(k)
		}
	}
	if w.encoding != nil {
		hdr["Content-Encoding"] = w.encoding
	}
	w.h.fail(w.ResponseWriter, w.r, w.q, code)
}

func (w *pagesServeWriter) Write(p []byte) (int, error) {
	if w.state == pagesServing {
		w.WriteHeader(http.StatusOK) // as net/http does for a body without a status
	}
	if w.state == pagesFailed {
		return len(p), nil
	}
	return w.ResponseWriter.Write(p)
}

// ReadFrom hands ServeContent's copy of the page to the ReadFrom of the
// ResponseWriter underneath, which net/http's copies with a pooled buffer
// rather than one made for each copy. Before a status, or after the error
// answer, the bytes go through Write.
func (w *pagesServeWriter) ReadFrom(src io.Reader) (int64, error) {
	if w.state == pagesServed {
		return io.Copy(w.ResponseWriter, src)
	}
	return io.Copy(struct{ io.Writer }{w}, src)
}

// Unwrap returns the ResponseWriter underneath, for
// http.ResponseController.
func (w *pagesServeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// render returns the page at path in the language langs[lang], as HTML
// (whose links keep the query, the language ?lang= chose) or as JSON: the
// one rendered by an earlier request, else one rendered now and kept for
// the later ones. Requests that find it missing at once each render it,
// and one of their results is kept: they are alike.
func (h *pagesHandler) render(page pagesPage, path string, lang int, query string, html bool) (*pagesRendered, error) {
	variant := pagesJSON
	if html {
		variant = pagesHTML
		if query != "" { // then langs[lang].String(), as language gives it
			variant = pagesHTMLQuery
		}
	}
	slot := &h.rendered[(page.slot*len(h.langs)+lang)*pagesVariants+variant]
	if rendered := slot.Load(); rendered != nil {
		return rendered, nil
	}
	tag := h.langs[lang]
	var body []byte
	var err error
	mediaType := pagesJSONType
	if html {
		mediaType = pagesHTMLType
		var v pagesView
		if v, err = h.view(page, path, tag, query); err == nil {
			body, err = h.html(v)
		}
	} else {
		body, err = h.json(page, tag)
	}
	if err != nil {
		return nil, err
	}
	// The tag is made from the representation: its bytes, and the type
	// and language, which tell apart pages whose bytes are alike (a type
	// without a translation is the same in each language).
	sum := sha256.New()
	fmt.Fprintf(sum, "%s\n%s\n", mediaType, tag)
	sum.Write(body)
	rendered := &pagesRendered{body: body, etag: `"` + base64.RawURLEncoding.EncodeToString(sum.Sum(nil)[:16]) + `"`}
	if !slot.CompareAndSwap(nil, rendered) {
		rendered = slot.Load()
	}
	return rendered, nil
}

// relative returns the request's path relative to the prefix, canonical,
// and whether it is under the prefix. A path without a leading "/" is
// relative already, as http.StripPrefix leaves it.
func (h *pagesHandler) relative(u *url.URL) (string, bool) {
	p := u.EscapedPath()
	if rest, ok := strings.CutPrefix(p, h.prefix); ok {
		return pagesCanonical(rest), true
	}
	if !strings.HasPrefix(p, "/") {
		return pagesCanonical(p), true
	}
	return "", false
}

// pagesCanonical returns the escaped path p with the percent-encoding of
// each segment made canonical (decoded, then encoded as url.PathEscape
// encodes it), so that %2f and %2F, or %41 and A, name the same page, while
// an escaped slash stays apart from a slash.
func pagesCanonical(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = url.PathEscape(u)
		}
	}
	return strings.Join(segs, "/")
}

// link returns the reference from the page at path from to the page at
// path to, both relative to the prefix, keeping the language a query
// chose. It starts with "./" or "../", so that a code with a colon is not
// read as a scheme.
func (h *pagesHandler) link(from, to, query string) string {
	l := "./"
	if n := strings.Count(h.tail+from, "/"); n > 0 {
		l = strings.Repeat("../", n)
	}
	l += h.tail + to
	if query != "" {
		l += "?lang=" + query
	}
	return l
}

// language returns the language of the page, as its place in h.langs,
// and, when ?lang= chose it, its tag for the links to keep. With one
// language there is nothing to choose.
func (h *pagesHandler) language(r *http.Request) (int, string) {
	m := h.cat.Matcher()
	if m == nil {
		return 0, ""
	}
	if q := r.URL.Query().Get("lang"); q != "" && len(q) <= 64 {
		if tag, err := language.Parse(q); err == nil {
			if i, ok := MatchLanguage(m, tag); ok {
				return i, h.langs[i].String()
			}
		}
	}
	// Negotiate gives one of the catalog's languages.
	return max(slices.Index(h.langs, h.cat.Negotiate(r.Header["Accept-Language"])), 0), ""
}

// pagesPrefersHTML reports whether the Accept lines prefer text/html to
// application/json: each type takes the q-value of the most specific range
// that matches it (RFC 9110 §12.5.1), and a tie, a missing header or one
// that accepts neither gives JSON. Elements that do not parse are skipped.
func pagesPrefersHTML(lines []string) bool {
	var html, json struct {
		q    float64
		spec int // 0: no range matched; 1: */*; 2: type/*; 3: type/subtype
	}
	listElements(lines, func(elem string) {
		mediaRange, params, _ := strings.Cut(elem, ";")
		typ, sub, ok := strings.Cut(strings.ToLower(strings.Trim(mediaRange, " \t")), "/")
		if !ok {
			return
		}
		q := 1.0
		for params != "" {
			var p string
			p, params, _ = strings.Cut(params, ";")
			name, value, _ := strings.Cut(strings.Trim(p, " \t"), "=")
			if strings.EqualFold(name, "q") {
				v, err := strconv.ParseFloat(value, 64)
				if err != nil || v < 0 || v > 1 {
					return
				}
				q = v
				break // parameters after q are accept-ext (RFC 9110 §12.5.1)
			}
		}
		for _, c := range []struct {
			typ, sub string
			best     *struct {
				q    float64
				spec int
			}
		}{{"text", "html", &html}, {"application", "json", &json}} {
			spec := 0
			switch {
			case typ == c.typ && sub == c.sub:
				spec = 3
			case typ == c.typ && sub == "*":
				spec = 2
			case typ == "*" && sub == "*":
				spec = 1
			}
			if spec > c.best.spec {
				c.best.q, c.best.spec = q, spec
			}
		}
	})
	return html.q > json.q
}

// pagesDoc is the JSON document of a type or a status.
type pagesDoc struct {
	Type        string      `json:"type"`
	Title       string      `json:"title"`
	Status      int         `json:"status"`
	Code        string      `json:"code,omitempty"`
	CodeMember  string      `json:"codeMember,omitempty"`
	Description string      `json:"description,omitempty"`
	Retry       RetryPolicy `json:"retry"`
	RetryAfter  int64       `json:"retryAfter,omitempty"`
	Page        string      `json:"page,omitempty"` // in the index only
}

func (h *pagesHandler) typeDoc(i int, tag language.Tag) pagesDoc {
	t := h.cat.typeIn(tag, i)
	d := pagesDoc{Type: t.URI, Title: t.Title, Status: t.Status, Code: t.Code, Description: t.Description,
		Retry: t.Retry, RetryAfter: pagesSeconds(t.RetryAfter)}
	if t.CodeMember != DefaultCodeMember {
		d.CodeMember = t.CodeMember
	}
	return d
}

func (h *pagesHandler) statusDoc(code int, tag language.Tag) pagesDoc {
	e, _ := h.cat.LookupIn(tag, code)
	return pagesDoc{Type: aboutBlank, Title: e.Phrase, Status: code, Description: e.Description,
		Retry: e.Retry, RetryAfter: pagesSeconds(e.RetryAfter)}
}

// pagesSeconds is a delay in whole seconds, rounded up, as Retry-After
// sends it.
func pagesSeconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second != 0 {
		s++
	}
	return s
}

// json returns the JSON document of a page, indented.
func (h *pagesHandler) json(page pagesPage, tag language.Tag) ([]byte, error) {
	var v any
	switch page.kind {
	case pagesType:
		v = h.typeDoc(page.n, tag)
	case pagesStatus:
		v = h.statusDoc(page.n, tag)
	default:
		index := struct {
			Types    []pagesDoc `json:"types"`
			Statuses []pagesDoc `json:"statuses"`
		}{Types: []pagesDoc{}, Statuses: []pagesDoc{}}
		for i := range h.cat.types {
			d := h.typeDoc(i, tag)
			if p := h.typePaths[i]; p != "" {
				d.Page = h.link("", p, "")
			}
			index.Types = append(index.Types, d)
		}
		for _, code := range h.statuses {
			d := h.statusDoc(code, tag)
			d.Page = h.link("", "status/"+strconv.Itoa(code), "")
			index.Statuses = append(index.Statuses, d)
		}
		v = index
	}
	return pagesEncode(v, true)
}

// pagesEncode encodes v as indented JSON. With escapeHTML off, <, > and &
// are left as they are, for a page whose template escapes them.
func pagesEncode(v any, escapeHTML bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// pagesView is what the HTML template shows: one of Doc, Index and Error.
type pagesView struct {
	Lang     string
	W        *pagesWords // the fixed words in Lang
	L        Labels      // the labels in Lang
	Title    string      // of the document
	IndexURL string      // "" on the index
	Langs    []pagesLang
	Doc      *pagesDocView
	Index    *pagesIndexView
	Error    *pagesErrorView
}

type pagesLang struct {
	Tag, Href string
	Current   bool
}

type pagesDocView struct {
	Kicker      string
	Title       string
	Description string
	Type        string
	Code        string
	Guidance    string
	Members     []pagesMember
	Example     string
}

type pagesMember struct{ Name, Value, Meaning string }

type pagesIndexView struct{ Types, Statuses []pagesRow }

type pagesRow struct {
	ID, Code, Href, Title, Guidance string
	Status                          int
}

type pagesErrorView struct {
	Status      int
	Title, Text string
}

func (h *pagesHandler) frame(path string, tag language.Tag, query string) pagesView {
	words := docWordsIn(tag)
	v := pagesView{Lang: tag.String(), W: &words.page, L: words.labels}
	if path != "" {
		v.IndexURL = h.link(path, "", query)
	}
	if langs := h.cat.Languages(); len(langs) > 1 {
		for _, l := range langs {
			v.Langs = append(v.Langs, pagesLang{Tag: l.String(), Href: "?lang=" + l.String(), Current: l == tag})
		}
	}
	return v
}

func (h *pagesHandler) view(page pagesPage, path string, tag language.Tag, query string) (v pagesView, err error) {
	v = h.frame(path, tag, query)
	words := docWordsIn(tag) // looked up once, not per row
	w := &words.page
	switch page.kind {
	case pagesType:
		t := h.cat.typeIn(tag, page.n)
		v.Title = t.Code + ": " + t.Title
		d := &pagesDocView{Kicker: strconv.Itoa(t.Status) + " " + h.cat.TitleIn(tag, t.Status), Title: t.Title,
			Description: t.Description, Type: t.URI, Code: t.Code, Guidance: words.typeGuidance(t)}
		d.Members = pagesMembers(w, t.URI, t.Title, t.Status)
		example := []pagesField{{"type", t.URI}, {"title", t.Title}, {"status", t.Status}}
		if t.Code != "" {
			d.Members = append(d.Members, pagesMember{t.CodeMember, t.Code, w.CodeMeaning})
			example = append(example, pagesField{t.CodeMember, t.Code})
		}
		d.Example, err = pagesExample(example...)
		v.Doc = d
	case pagesStatus:
		e, _ := h.cat.LookupIn(tag, page.n)
		v.Title = strconv.Itoa(e.Code) + " " + e.Phrase
		v.Doc = &pagesDocView{Kicker: strconv.Itoa(e.Code), Title: e.Phrase, Description: e.Description,
			Type: aboutBlank, Guidance: words.guidance(e), Members: pagesMembers(w, aboutBlank, e.Phrase, e.Code)}
		v.Doc.Example, err = pagesExample(pagesField{"type", aboutBlank}, pagesField{"title", e.Phrase}, pagesField{"status", e.Code})
	default:
		v.Title = w.Types
		index := &pagesIndexView{}
		for i := range h.cat.types {
			t := h.cat.typeIn(tag, i)
			row := pagesRow{ID: t.Code, Code: t.Code, Title: t.Title, Status: t.Status, Guidance: words.typeGuidance(t)}
			if p := h.typePaths[i]; p != "" {
				row.Href = h.link("", p, query)
			} else if strings.HasPrefix(t.URI, "https://") || strings.HasPrefix(t.URI, "http://") {
				row.Href = t.URI
			}
			index.Types = append(index.Types, row)
		}
		for _, code := range h.statuses {
			e, _ := h.cat.LookupIn(tag, code)
			index.Statuses = append(index.Statuses, pagesRow{Status: code, Title: e.Phrase, Guidance: words.guidance(e),
				Href: h.link("", "status/"+strconv.Itoa(code), query)})
		}
		v.Index = index
	}
	return v, err
}

// pagesMembers are the standard members of a problem of a type, with
// their meanings in the words w.
func pagesMembers(w *pagesWords, uri, title string, status int) []pagesMember {
	typeMeaning := w.TypeMeaning
	if uri == aboutBlank {
		typeMeaning = w.BlankMeaning
	}
	return []pagesMember{
		{"type", uri, typeMeaning},
		{"title", title, w.TitleMeaning},
		{"status", strconv.Itoa(status), w.StatusMeaning},
		{"detail", "", w.DetailMeaning},
		{"instance", "", w.InstanceMeaning},
	}
}

// pagesField is a member of an example problem.
type pagesField struct {
	name  string
	value any
}

// pagesExample writes an example problem with the members given, in their
// order, as indented JSON without HTML escapes: the template escapes the
// page.
func pagesExample(members ...pagesField) (string, error) {
	var b strings.Builder
	b.WriteString("{")
	for i, m := range members {
		name, err := pagesEncode(m.name, false)
		if err != nil {
			return "", err
		}
		value, err := pagesEncode(m.value, false)
		if err != nil {
			return "", err
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n  %s: %s", bytes.TrimSpace(name), bytes.TrimSpace(value))
	}
	b.WriteString("\n}")
	return b.String(), nil
}

func (h *pagesHandler) errorView(status int, q pagesRequest, tag language.Tag) pagesView {
	v := h.frame(q.path, tag, q.query)
	if !q.under {
		v.IndexURL = ""
	}
	var text string
	switch status {
	case http.StatusNotFound:
		text = v.W.NotFound
	case http.StatusMethodNotAllowed:
		text = v.W.MethodNotAllowed
	case http.StatusPreconditionFailed:
		text = v.W.PreconditionFailed
	case http.StatusRequestedRangeNotSatisfiable:
		text = v.W.RangeNotSatisfiable
	default:
		text = v.W.Failed
	}
	title := h.cat.TitleIn(tag, status)
	v.Title = strconv.Itoa(status) + " " + title
	v.Error = &pagesErrorView{Status: status, Title: title, Text: text}
	return v
}

func (h *pagesHandler) html(v pagesView) ([]byte, error) {
	var buf bytes.Buffer
	err := pagesTemplate.Execute(&buf, v)
	return buf.Bytes(), err
}

var pagesTemplate = template.Must(template.New("pages").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:46em;margin:0 auto;padding:1.5em 1em 3em;color:#1a1a1a;background:#fff}
a{color:#0b57d0}header{display:flex;justify-content:space-between;gap:1em;padding-bottom:.6em;border-bottom:1px solid #e3e3e3;font-size:.9em}
nav a,nav strong{margin-left:.4em}.kicker{color:#666;margin:2em 0 0}h1{font-size:1.7em;line-height:1.25;margin:.15em 0 .6em}
h2{font-size:1.15em;margin:2em 0 .5em}main>h1:first-child{margin-top:1.2em}dl{display:grid;grid-template-columns:max-content 1fr;gap:.35em 1.5em;margin:1.5em 0}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.4em 1em .4em 0;border-bottom:1px solid #eee}th{font-size:.85em;color:#666;font-weight:600}
code,pre{font:.9em/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}pre{background:#f5f5f5;border-radius:4px;padding:.8em 1em;margin:0;overflow-x:auto}
</style>
</head>
<body>
<header>
{{- if .IndexURL}}
<a href="{{.IndexURL}}">{{.W.AllTypes}}</a>
{{- else}}
<span></span>
{{- end}}
{{- if .Langs}}
<nav aria-label="{{.W.Language}}">
{{- range $i, $l := .Langs}}{{if $i}} {{end}}
{{- if .Current}}<strong aria-current="page">{{.Tag}}</strong>{{else}}<a href="{{.Href}}" hreflang="{{.Tag}}" lang="{{.Tag}}">{{.Tag}}</a>{{end}}
{{- end}}
</nav>
{{- end}}
</header>
<main>
{{- $w := .W}}{{$l := .L}}
{{- with .Doc}}
<p class="kicker">{{.Kicker}}</p>
<h1>{{.Title}}</h1>
{{- with .Description}}
<p>{{.}}</p>
{{- end}}
<dl>
<dt>{{$l.Type}}</dt><dd><code>{{.Type}}</code></dd>
{{- with .Code}}
<dt>{{$l.Code}}</dt><dd><code>{{.}}</code></dd>
{{- end}}
<dt>{{$l.Retry}}</dt><dd>{{.Guidance}}</dd>
</dl>
<h2>{{$w.Members}}</h2>
<table>
<thead><tr><th>{{$w.Member}}</th><th>{{$w.Value}}</th><th>{{$w.Meaning}}</th></tr></thead>
<tbody>
{{- range .Members}}
<tr><td><code>{{.Name}}</code></td><td>{{with .Value}}<code>{{.}}</code>{{end}}</td><td>{{.Meaning}}</td></tr>
{{- end}}
</tbody>
</table>
<h2>{{$w.Example}}</h2>
<pre>{{.Example}}</pre>
{{- end}}
{{- with .Index}}
<h1>{{$w.Types}}</h1>
<p>{{$w.Intro}}</p>
{{- if .Types}}
<h2>{{$w.ErrorCodes}}</h2>
<table>
<thead><tr><th>{{$l.Code}}</th><th>{{$w.Status}}</th><th>{{$w.Title}}</th></tr></thead>
<tbody>
{{- range .Types}}
<tr id="{{.ID}}"><td>{{if .Href}}<a href="{{.Href}}"><code>{{.Code}}</code></a>{{else}}<code>{{.Code}}</code>{{end}}</td><td>{{.Status}}</td><td>{{.Title}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .Statuses}}
<h2>{{$w.StatusCodes}}</h2>
<table>
<thead><tr><th>{{$w.Status}}</th><th>{{$w.Title}}</th><th>{{$l.Retry}}</th></tr></thead>
<tbody>
{{- range .Statuses}}
<tr><td><a href="{{.Href}}">{{.Status}}</a></td><td>{{.Title}}</td><td>{{.Guidance}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- end}}
{{- with .Error}}
<p class="kicker">{{.Status}}</p>
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
{{- end}}
</main>
</body>
</html>
`))
