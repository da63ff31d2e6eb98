package problem

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/errs"
	"github.com/problemkit/problemkit/internal/field"
	"github.com/problemkit/problemkit/internal/wire"
)

// Responder writes problems as HTTP responses. It is the one writer behind
// every adapter of this module. The zero value is ready to use, with the
// default catalog; a Responder is safe for concurrent use once configured.
// It must not be copied after first use: it remembers what it has reported.
type Responder struct {
	// Catalog gives the titles of problems that have none, in each of its
	// languages, the default Retry-After of after-delay statuses and
	// types, and their quota policies. Nil means [catalog.Default].
	Catalog *catalog.Catalog
	// HTML offers clients that prefer text/html, such as browsers, an HTML
	// page instead of JSON or XML. The page escapes every value and holds
	// no script. Beside the problem's members it shows the catalog's
	// description and retry guidance of the problem's type, or else of its
	// status, and it links the type to its page (see
	// [catalog.Catalog.Pages]). Off by default.
	HTML bool
	// Formats limits the formats offered to clients by their Accept
	// header; JSON is always offered, and HTML when HTML is on. Zero, the
	// default, offers JSON and XML.
	Formats Formats
	// ExposeErrors sends 5xx details that hold the text of wrapped errors
	// ([Newf] with %w). Off by default: such a detail is left out, since
	// error text tells a client about the server's internals.
	ExposeErrors bool
	// Challenge is the WWW-Authenticate challenge of a 401 response that
	// would otherwise carry none (RFC 9110 §15.5.2 requires one): neither
	// the problem nor the response sets one, the problem's own was
	// dropped as invalid, or none of the values holds a challenge (a blank
	// one, "=x"). Empty means "Bearer", and so does a Challenge that holds
	// a control character or no challenge, which Respond reports.
	Challenge string

	// titleReported is set once Respond has reported an about:blank title
	// it replaced.
	titleReported atomic.Bool
	// langs remembers the languages negotiated for Accept-Language values.
	langs langCache
	// challenges holds the value of WWW-Authenticate a 401 without a
	// challenge gets (see Responder.challenge).
	challenges atomic.Pointer[challengeValue]
}

// challengeValue is the WWW-Authenticate value a Responder sends for its
// Challenge, shared by the responses that carry it as Respond's other
// values are, and what is reported of the Challenge. It is never changed
// once made.
type challengeValue struct {
	challenge string // Responder.Challenge as it was
	values    wire.Set
	err       error
}

// Respond writes p as the response to r:
//
//   - The status is p.Status, both in the status line and in the body. A
//     status that is not a sendable 4xx or 5xx is a programming error: the
//     response is then a bare 500, and the error says so.
//   - A problem without a title gets the catalog's phrase for its status,
//     and so does every problem of type about:blank (or of no type): its
//     title is the status phrase (RFC 9457 §4.2.1). The first title of its
//     own that a Responder replaces is reported, the later ones are not,
//     so that a handler that sets one does not log a record per request.
//   - A type or an instance that is not a URI reference (RFC 3986, as
//     [catalog.CheckURIReference] judges it: a character a URI cannot
//     hold, such as a space or one beyond ASCII, "#" twice, a bad "%"
//     escape, ...) is sent as it is, and reported.
//   - The body is application/problem+json, or application/problem+xml when
//     Formats offers XML and the request's Accept prefers it
//     (application/problem+xml, application/xml or text/xml), or an HTML
//     page when HTML is on and Accept prefers text/html. With HTML off, a
//     client that names text/html and prefers it to every format (a
//     browser) gets JSON, which browsers display. A q=0 on a format's own
//     media type (application/problem+json, application/problem+xml)
//     rules that format out, whatever an alias or a wildcard accepts. When
//     no format is acceptable the body is JSON: a request is never refused
//     with 406.
//   - The headers that describe the content of the response the problem
//     replaces are removed: Content-Length, ETag, Last-Modified,
//     Content-Disposition, Content-Language, Content-Location, the digests
//     (Content-Digest, Repr-Digest, Digest, Content-MD5), and Content-Range
//     unless the status is 416; over HTTP/2, so are the fields of an
//     HTTP/1 connection that Go's HTTP/2 server would send as they are
//     (Keep-Alive, Proxy-Connection, Upgrade), which an HTTP/2 message
//     must not carry (RFC 9113 §8.2.2), and which clients that check
//     refuse. Then p.Header is copied onto the response (but for
//     Content-Length and Date, which are the server's to set, a problem
//     read from an upstream's response keeping that one's Date; for
//     Content-Encoding, since the body Respond writes is not encoded; and
//     for the fields about the connection: Connection, Keep-Alive,
//     Proxy-Connection, TE, Trailer and Transfer-Encoding, and over HTTP/2
//     Upgrade; these are dropped and reported), replacing values already
//     set for the same names; everything else the stack has set, such as
//     Allow, WWW-Authenticate or CORS headers, is kept.
//     A key of the response header that is not in canonical form
//     (h["content-type"]) counts as the name it stands for wherever Respond
//     removes, sets or reads that name; other such keys are left alone.
//     A Content-Encoding already on the response is kept, as http.Error
//     keeps it, for a compressing writer that encodes whatever goes
//     through it (the middleware sees to the other cases).
//     Content-Type, X-Content-Type-Options: nosniff and Cache-Control:
//     no-store are set, and Accept is added to Vary.
//   - When the catalog has more than one language (see
//     [catalog.Catalog.WithTranslation]), the language is negotiated on
//     Accept-Language (the first 1 KiB and 32 ranges of it): by q-value,
//     de-CH falling back to de, and "*", no header or a language the
//     catalog lacks giving its base language. A title that is the
//     catalog's (the status phrase, or a catalog type's title, found by
//     URI) is sent in that language where the catalog has a translation
//     of it; a title the problem gave and the detail stay as written. The
//     items of an "errors" extension are sent in that language where the
//     problem's cause made them and can write them so, as the validation
//     problems of problemvalidator with translations can.
//     Content-Language is set to the language and Accept-Language is added
//     to Vary. With one language, neither is sent. The HTML page's lang
//     attribute is the language sent, or the catalog's one language.
//   - A 401 response without a challenge gets Challenge: when no value
//     of WWW-Authenticate, the problem's or the response's, starts with
//     an auth-scheme (RFC 9110 §11.6.1), such as a blank one, "=x" or a
//     quoted string, the header is replaced, and reported unless every
//     value was empty. A 405 without Allow, a 407 without
//     Proxy-Authenticate and a 426 without Upgrade are sent so, since
//     these cannot be invented, and reported (RFC 9110 §15.5.6, §15.5.8,
//     §15.5.22). Over HTTP/2, which has no Upgrade, a 426 is sent without
//     one and not reported.
//   - A 413 whose cause holds an *http.MaxBytesError (a request body that
//     http.MaxBytesReader cut off) gets Connection: close over HTTP/1: the
//     rest of the body was not read. (MaxBytesReader closes the connection
//     itself only when given the server's own ResponseWriter.) Over HTTP/2
//     the stream alone ends, as in net/http, and the connection stays open.
//   - Retry-After: p's own value (which [Resolve] takes from the error's
//     RetryAfter method when p has none), else one already on the
//     response, else the catalog's default: that of p's type when the
//     catalog lists it (see [catalog.Catalog.TypeByURI]), else that of its
//     status, when the policy is after-delay. It is never earlier than
//     the reset of a rate limit p has used up (see [Problem.WithRateLimit]).
//     A value of p or of the response that is neither delay-seconds nor
//     an HTTP-date (RFC 9110 §10.2.3), such as "soon" or "1.5", is
//     dropped and reported, and the response is then one without; an
//     HTTP-date in another form than IMF-fixdate (RFC 850, asctime) is
//     sent as an IMF-fixdate (§5.6.7), and reported.
//   - RateLimit-Policy: p's own, else one already on the response, else
//     the catalog's quota policies of p's type when the catalog lists it,
//     else of its status (see [catalog.Entry.QuotaPolicies]), serialised
//     as [FormatRateLimitPolicy] does. RateLimit is p's alone.
//   - A HEAD request gets the same status and headers, with the
//     Content-Length of the body it would have had, and no body. A writer
//     between Respond and the server that drops that Content-Length as the
//     status goes through it, as a compressor does, is given the body as
//     for GET; the server, which sends none of it, then takes the
//     Content-Length from what that writer makes of it, as for GET.
//
// The members sent are those [Responder.Prepare] gives p, but for the
// catalog's title in the negotiated language (Prepare, which sees no
// request, gives the base language's); a problem that Prepare returned is
// sent as it is, but for that title.
//
// Respond always writes a response, even when it returns an error. The error
// is for the log: it reports what Respond had to change or leave out (what
// Prepare reports, when p was not prepared; an extension that could not be
// encoded, a header value with a line break), what the response lacks that
// it should carry, and write failures.
//
// Respond does not know whether a response was already started; callers
// check that first (the middleware does).
func (rs *Responder) Respond(w http.ResponseWriter, r *http.Request, p *Problem) error {
	cat := rs.catalog()
	var errs []error
	v := p
	var prepared Problem
	if !p.isPrepared() {
		if err := rs.prepare(&prepared, p, cat); err != nil {
			errs = append(errs, err)
		}
		v = &prepared
	}

	h := w.Header()
	h2 := r.ProtoAtLeast(2, 0) // no HTTP/1 connection to describe
	header, _ := canonicalHeader(v.Header)
	if len(h) > 0 {
		tidyResponse(h, v.Status, header, h2)
	}
	if len(header) > 0 { // a range over no header would still start an iterator
		for k, vs := range header {
			if err := checkHeader(k, vs); err != nil {
				errs = append(errs, err)
				continue
			}
			if err := refuseOwn(k, h2); err != nil {
				errs = append(errs, err)
				continue
			}
			h[k] = slices.Clip(vs)
		}
	}
	empty := len(h) == 0 // nothing to merge or keep: skip the lookups
	droppedRetry := false
	if vs := h["Retry-After"]; !empty && len(vs) > 0 {
		if len(vs) > 1 {
			// One value only (RFC 9110 §10.2.3): several can come from
			// keys that differ in case only, the problem's or the
			// response's.
			errs = append(errs, fmt.Errorf("problem: Retry-After has %d values; sent the first", len(vs)))
			vs = vs[:1:1]
			h["Retry-After"] = vs
		}
		// Retry-After = HTTP-date / delay-seconds (RFC 9110 §10.2.3). A
		// value of another form is dropped, and the rules below treat the
		// response as one without it.
		switch sent, err := sentRetryAfter(vs[0]); {
		case err != nil:
			errs = append(errs, fmt.Errorf("problem: Retry-After %q is neither delay-seconds nor an HTTP-date (RFC 9110 §10.2.3); dropped", vs[0]))
			delete(h, "Retry-After")
			droppedRetry = true
		case sent != vs[0]:
			if sent != trimOWS(vs[0]) { // not only the white space around it
				errs = append(errs, fmt.Errorf("problem: Retry-After %q is not an IMF-fixdate, the one date form senders may generate (RFC 9110 §5.6.7); sent %q", vs[0], sent))
			}
			h["Retry-After"] = []string{sent}
		}
	}
	// The retry guidance, and the title translate knows a catalog type's
	// title by: a catalog type's are its own, else its status's.
	policy, d := cat.Retry(v.Status)
	var typ catalog.Type
	var isType bool
	if !isBlank(v.Type) { // a catalog refuses about:blank as a type's URI
		typ, isType = cat.TypeByURI(v.Type)
	}
	if isType {
		policy, d = typ.Retry, typ.RetryAfter
	}
	typeTitle := typ.Title
	var lang *langChoice
	m := cat.Matcher() // nil with one language: nothing to negotiate
	if m != nil {
		var err error
		if lang, err = rs.langs.choose(cat, m, r.Header["Accept-Language"]); err != nil {
			errs = append(errs, err)
		}
		v = translate(v, &prepared, cat, lang, typeTitle, isType)
	}

	f := negotiate(r.Header["Accept"], rs.Formats, rs.HTML)
	bp := bufPool.Get().(*[]byte)
	var pageLang language.Tag // only the HTML page shows it
	if f == formatHTML {
		if lang != nil {
			pageLang = lang.tag
		} else {
			pageLang = cat.Languages()[0]
		}
	}
	body, f, err := encode((*bp)[:0], v, f, cat, pageLang)
	if err != nil {
		errs = append(errs, err)
	}

	vals, err := wire.Shared()
	if err != nil {
		errs = append(errs, err)
	}
	h["Content-Type"] = vals.One(contentTypes[f])
	h["X-Content-Type-Options"] = vals.One(wire.Nosniff)
	h["Cache-Control"] = vals.One(wire.NoStore)
	if f == formatHTML {
		h["Content-Security-Policy"] = vals.One(wire.CSP)
	}
	switch {
	case m == nil && empty:
		h["Vary"] = vals.One(wire.Accept)
	case m == nil:
		addVary(h, vals.One(wire.Accept))
	default:
		h["Content-Language"] = lang.contentLanguage()
		if empty {
			h["Vary"] = lang.vary()
		} else {
			addVary(h, vals.One(wire.Accept))
			addVary(h, lang.vary()[1:])
		}
	}
	if policy == catalog.RetryAfterDelay && d > 0 {
		if _, ok := h["Retry-After"]; empty || !ok {
			h["Retry-After"] = []string{FormatRetryAfter(d)}
		}
	}
	if v.rateReset > 0 { // never earlier than a used-up limit's reset
		holdRetryAfter(h, time.Duration(v.rateReset)*time.Second, droppedRetry)
	}
	if cat.HasQuotaPolicies() { // the default has none
		if err := setCatalogRateLimitPolicy(h, v, cat, typ, isType); err != nil {
			errs = append(errs, err)
		}
	}
	switch v.Status {
	case http.StatusUnauthorized:
		if vs := h["Www-Authenticate"]; !field.HasChallenge(vs) {
			c, err := rs.challenge()
			if err != nil {
				errs = append(errs, err)
			}
			if hasValue(vs) { // not none, but none a client can answer
				errs = append(errs, fmt.Errorf("problem: WWW-Authenticate %q holds no challenge, which a 401 response must carry (RFC 9110 §11.6.1, §15.5.2); sent %q instead", vs, c.values.One(0)[0]))
			}
			h["Www-Authenticate"] = c.values.One(0)
		}
	case http.StatusMethodNotAllowed:
		if _, ok := h["Allow"]; !ok { // an empty Allow says no method is
			errs = append(errs, errors.New("problem: a 405 response must carry Allow (RFC 9110 §15.5.6), and neither the problem nor the response sets it; sent without"))
		}
	case http.StatusProxyAuthRequired:
		switch vs := h["Proxy-Authenticate"]; {
		case !hasValue(vs):
			errs = append(errs, errors.New("problem: a 407 response must carry Proxy-Authenticate (RFC 9110 §15.5.8), and neither the problem nor the response sets it; sent without"))
		case !field.HasChallenge(vs):
			errs = append(errs, fmt.Errorf("problem: Proxy-Authenticate %q holds no challenge, which a 407 response must carry (RFC 9110 §11.7.1, §15.5.8); sent as is", vs))
		}
	case http.StatusUpgradeRequired:
		switch {
		case h2:
			// HTTP/2 has no Upgrade (RFC 9113 §8.6, §8.2.2): nothing to
			// name, and nothing missing.
		case !hasValue(h["Upgrade"]):
			errs = append(errs, errors.New("problem: a 426 response must carry Upgrade (RFC 9110 §15.5.22), and neither the problem nor the response sets it; sent without"))
		case !hasToken(h["Connection"], "upgrade"):
			// A sender of Upgrade names it in Connection too (§7.8), a
			// field a problem may not set itself.
			h["Connection"] = append(slices.Clip(h["Connection"]), "upgrade")
		}
	case http.StatusRequestEntityTooLarge:
		// Only HTTP/1 has a connection to close: HTTP/2 resets the stream
		// instead, and Go's HTTP/2 server takes a Connection: close for a
		// GOAWAY that ends every other stream's connection too.
		if !h2 && bodyCutOff(v) {
			h["Connection"] = vals.One(wire.Close)
		}
	}

	head := r.Method == http.MethodHead
	if head {
		// The length of the body a GET gets, and no body.
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
	}
	w.WriteHeader(v.Status)
	if !head || lengthDropped(h) {
		if _, err := w.Write(body); err != nil {
			errs = append(errs, fmt.Errorf("problem: writing the response: %w", err))
		}
	}
	if cap(body) <= maxPooledBuffer {
		*bp = body[:0]
		bufPool.Put(bp)
	}
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}

// Prepare returns the problem Respond sends for p: a status the response
// refuses replaced by 500, the catalog's title for a problem without one
// and for every about:blank problem, an empty type as about:blank, and a
// 5xx detail that holds wrapped errors' text left out unless ExposeErrors
// is on. The error reports what it changed (the first about:blank title it
// replaces, once per Responder, as Respond does) and a type or instance
// that is not a URI reference.
//
// Prepare is for code that must know what will be sent before it is
// written, to log it or measure it: the problem it returns is marked as
// prepared, and Respond, of any Responder, sends a prepared problem as it
// is, without preparing it again. The mark holds while the status stays
// the one Prepare gave: a problem whose status has changed since is
// prepared again, and so are the copies [Problem.Clone] and the With...
// methods make. Prepare returns a prepared problem as it is. Respond of a
// problem that is not prepared prepares it itself.
func (rs *Responder) Prepare(p *Problem) (v Problem, err error) {
	err = rs.prepareInto(&v, p)
	return v, err
}

// prepareInto is Prepare's work, on v, Prepare's result. Prepare is
// small enough to be inlined, so that its caller (the middleware) gets
// the prepared problem without a call that zeroes and copies it once more.
func (rs *Responder) prepareInto(v, p *Problem) error {
	if p.isPrepared() {
		*v = *p
		return nil
	}
	err := rs.prepare(v, p, rs.catalog())
	v.prepared = uint16(v.Status) // a sendable status, or 500
	return err
}

// isPrepared reports whether p is a problem Prepare returned, with the
// status it gave it.
func (p *Problem) isPrepared() bool {
	return p != nil && p.prepared != 0 && int(p.prepared) == p.Status
}

// bodyCutOff reports whether p, a 413, stands for a request body that
// http.MaxBytesReader cut off: then the rest of the body was not read, and
// the connection, in an unknown state, must close. (MaxBytesReader closes
// it itself only when given the server's own ResponseWriter, not one that
// wraps it.)
func bodyCutOff(p *Problem) bool {
	_, ok := errs.As[*http.MaxBytesError](p.cause)
	return ok
}

// catalog returns the catalog to use: rs.Catalog, else the default.
func (rs *Responder) catalog() *catalog.Catalog {
	if rs.Catalog != nil {
		return rs.Catalog
	}
	return catalog.Default()
}

// challenge returns the challenge for a 401 without one: Challenge, or
// "Bearer" when it is empty, holds a control character or holds no
// challenge (the error says so for the last two, on every such response).
// The value is made once for each Challenge, and again when code has
// written into it in place (reported, see [wire.Set.Intact]).
func (rs *Responder) challenge() (*challengeValue, error) {
	c := rs.challenges.Load()
	if c != nil && c.challenge == rs.Challenge && c.values.Intact() {
		return c, c.err
	}
	var moved error
	if c != nil && c.challenge == rs.Challenge {
		moved = wire.ErrWrittenInPlace
	}
	c = newChallenge(rs.Challenge)
	rs.challenges.Store(c)
	return c, errors.Join(c.err, moved)
}

// newChallenge returns the value sent for a Responder's Challenge.
func newChallenge(challenge string) *challengeValue {
	c := &challengeValue{challenge: challenge}
	sent := challenge
	switch {
	case challenge == "":
		sent = "Bearer"
	case !field.ValidValue(challenge):
		sent, c.err = "Bearer", fmt.Errorf("problem: Responder.Challenge %q holds a control character; sent \"Bearer\"", challenge)
	case !field.IsChallenge(challenge):
		sent, c.err = "Bearer", fmt.Errorf("problem: Responder.Challenge %q holds no challenge (RFC 9110 §11.6.1); sent \"Bearer\"", challenge)
	}
	c.values = wire.NewSet(sent)
	return c
}

// hasToken reports whether a header's comma-separated values name token,
// without regard to case.
func hasToken(values []string, token string) bool {
	for _, line := range values {
		for line != "" {
			var elem string
			elem, line, _ = strings.Cut(line, ",")
			if strings.EqualFold(trimOWS(elem), token) {
				return true
			}
		}
	}
	return false
}

// hasValue reports whether a header has a value that is not empty.
func hasValue(values []string) bool {
	for _, v := range values {
		if v != "" {
			return true
		}
	}
	return false
}

// prepare is Prepare with the catalog given, without the mark: it sets v,
// which the caller owns, to the problem sent for p. (v is a pointer, so
// that the problem is not copied once more on its way back.)
func (rs *Responder) prepare(v, p *Problem, cat *catalog.Catalog) (err error) {
	switch {
	case p == nil:
		err = errors.New("problem: asked to write a nil problem; sent 500")
		*v = Problem{Status: http.StatusInternalServerError}
	case !cat.Sendable(p.Status):
		err = fmt.Errorf("problem: status %d cannot be sent as a problem (want an assigned 4xx or 5xx); sent 500 instead of %q", p.Status, p.Error())
		// Type, title, code, detail and headers describe the refused
		// status (a 500 that sent the type's code would claim an error of
		// another status); the instance and the extensions (a correlation
		// id) still help.
		*v = Problem{Status: http.StatusInternalServerError, Instance: p.Instance, Extensions: p.Extensions}
	default:
		*v = *p
	}
	switch {
	case isBlank(v.Type):
		v.Type = AboutBlank
		phrase := cat.Title(v.Status)
		if v.Title != phrase {
			if v.Title != "" && rs.titleReported.CompareAndSwap(false, true) {
				err = errors.Join(err, fmt.Errorf("problem: an about:blank problem's title is its status phrase (RFC 9457 §4.2.1); sent %q instead of %q (reported once per Responder)", phrase, v.Title))
			}
			v.Title = phrase
		}
		keepBlankHead(v.Status, phrase) // its JSON starts so: encoded once
	case v.Title == "":
		v.Title = cat.Title(v.Status)
	}
	if v.Status >= 500 && v.detailIsCause() && !rs.ExposeErrors {
		v.Detail = ""
	}
	if c := v.compiled(); c == nil || !c.uriChecked || v.Type != c.uri { // else checked once (see compileType)
		if uerr := checkURIRef("type", v.Type); uerr != nil {
			err = errors.Join(err, uerr)
		}
	}
	if uerr := checkURIRef("instance", v.Instance); uerr != nil {
		err = errors.Join(err, uerr)
	}
	return err
}

// encode appends p in format f to b and returns the format it used: when
// the HTML page cannot be rendered, it falls back to JSON. The HTML page is
// in the language lang of cat.
func encode(b []byte, p *Problem, f format, cat *catalog.Catalog, lang language.Tag) ([]byte, format, error) {
	switch f {
	case formatXML:
		b, err := p.AppendXML(b)
		return b, f, err
	case formatHTML:
		out, dropped, err := appendHTML(b, *p, cat, lang)
		if err == nil {
			return out, f, dropped
		}
		b, jerr := p.AppendJSON(b[:0])
		return b, formatJSON, errors.Join(fmt.Errorf("problem: rendering HTML: %w", err), jerr)
	}
	b, err := p.AppendJSON(b)
	return b, formatJSON, err
}

// contentTypes are the indices of each format's Content-Type among the
// shared header values.
var contentTypes = [numFormats]int{
	formatJSON: wire.ContentTypeJSON,
	formatXML:  wire.ContentTypeXML,
	formatHTML: wire.ContentTypeHTML,
}

// tidyResponse readies h, the header of the response a problem replaces,
// for the problem's status and own headers. First, a key that is not in
// canonical form (h["content-type"] = ...) but stands for a name Respond
// removes, sets or reads (see handled) is merged into the canonical key,
// after its values, in sorted key order: otherwise the wire would carry the
// name twice, once as written and once as Respond sets it. Other keys are
// left as they were written. Then the stale headers are removed (see
// dropped: the stale ones and, over HTTP/2, the fields of an HTTP/1
// connection).
func tidyResponse(h http.Header, status int, own http.Header, h2 bool) {
	var buf [4]string
	odd := buf[:0]
	for k := range h {
		if ck := http.CanonicalHeaderKey(k); ck != k {
			if handled(ck, own) {
				odd = append(odd, k)
			}
			continue
		}
		if dropped(k, status, h2) {
			delete(h, k)
		}
	}
	if len(odd) == 0 {
		return
	}
	slices.Sort(odd)
	for _, k := range odd {
		if ck := http.CanonicalHeaderKey(k); !dropped(ck, status, h2) {
			// Clipped, so that the handler's spare capacity is not written.
			h[ck] = append(slices.Clip(h[ck]), h[k]...)
		}
		delete(h, k)
	}
}

// dropped reports whether Respond removes the response header name
// (canonical) from a response its problem replaces: a stale one (see
// isStale), and, over HTTP/2 (h2), a field of an HTTP/1 connection (see
// http1Field).
func dropped(name string, status int, h2 bool) bool {
	return isStale(name, status) || h2 && http1Field(name)
}

// http1Field reports whether the header name (canonical) describes an
// HTTP/1 connection and is one that Go's HTTP/2 server sends as it is,
// though an HTTP/2 message must not carry it (RFC 9113 §8.2.2) and clients
// that check refuse the response as malformed. (The server drops
// Transfer-Encoding itself, and Connection, which it reads: close asks it
// to end the connection.)
func http1Field(name string) bool {
	switch name {
	case "Keep-Alive", "Proxy-Connection", "Upgrade":
		return true
	}
	return false
}

// isStale reports whether the response header name (canonical) describes
// the content of the response a problem replaces: its length, validators,
// disposition, language, location and digests, and its range except on a
// 416, where Content-Range tells the client the representation's length.
func isStale(name string, status int) bool {
	switch name {
	case "Content-Length", "Etag", "Last-Modified", "Content-Disposition", "Content-Language",
		"Content-Location", "Content-Digest", "Repr-Digest", "Digest", "Content-Md5":
		return true
	case "Content-Range":
		return status != http.StatusRequestedRangeNotSatisfiable
	}
	return false
}

// handled reports whether Respond removes, sets or reads the response
// header name (canonical): the stale headers (on any status but 416, all of
// them), those it sets or adds to, those whose presence it checks, and
// those the problem sets itself (own).
func handled(name string, own http.Header) bool {
	switch name {
	case "Content-Type", "X-Content-Type-Options", "Cache-Control", "Content-Security-Policy", "Vary",
		"Retry-After", "Www-Authenticate", "Allow", "Proxy-Authenticate", "Upgrade", "Connection", "Ratelimit-Policy",
		"Keep-Alive", "Proxy-Connection":
		return true
	}
	if isStale(name, http.StatusInternalServerError) {
		return true
	}
	_, ok := own[name]
	return ok
}

// refuseOwn returns why a problem's header name (canonical) is not the
// problem's to set, or nil when it is: Content-Length is the server's; a
// Content-Encoding would label the body Respond writes, which is not
// encoded, as encoded (RFC 9110 §8.4), so that clients fail to decode it
// (one already on the response is an outer compressor's, and stays); and
// the fields about the connection are the server's (see hopByHop), and
// over HTTP/2 (h2) so is Upgrade, which an HTTP/2 message must not carry
// (see http1Field).
func refuseOwn(name string, h2 bool) error {
	switch {
	case name == "Content-Length", name == "Date":
		// The length of the body Respond writes, and this server's clock
		// (a problem read from an upstream's response keeps that one's).
		return fmt.Errorf("problem: %s is the server's to set; dropped", name)
	case name == "Content-Encoding":
		return errors.New("problem: Content-Encoding cannot describe the body Respond writes, which is not encoded (RFC 9110 §8.4); dropped")
	case hopByHop(name):
		return fmt.Errorf("problem: header %s is about the connection, not a problem's to set; dropped", name)
	case h2 && name == "Upgrade":
		return errors.New("problem: header Upgrade is about an HTTP/1 connection, which an HTTP/2 response must not carry (RFC 9113 §8.2.2); dropped")
	}
	return nil
}

// hopByHop reports whether the header name (canonical) describes the
// connection rather than the message (RFC 9110 §7.6.1, RFC 9112 §6.1 and
// §7.4; Keep-Alive and Proxy-Connection from RFC 2068 and practice). These
// are for the server to set; a problem that sets Transfer-Encoding could
// make the server frame the body wrongly. Upgrade is not among them: a 426
// must send it (RFC 9110 §15.5.22).
func hopByHop(name string) bool {
	switch name {
	case "Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding":
		return true
	}
	return false
}

// checkHeader rejects header names that are not tokens and values that are
// not valid field values: a control character other than horizontal tab
// (CR and LF could split the header section, and clients refuse the
// response for the others).
func checkHeader(name string, values []string) error {
	if !field.IsToken(name) {
		return fmt.Errorf("problem: header name %q is invalid; dropped", name)
	}
	for _, v := range values {
		if !field.ValidValue(v) {
			return fmt.Errorf("problem: header %s has a value with a control character; dropped", name)
		}
	}
	return nil
}

// addVary adds the field name in value (a one-element slice) to the Vary
// header, unless it, or "*", is there already. When Vary is unset, value
// becomes its value, without allocating.
func addVary(h http.Header, value []string) {
	name := value[0]
	vary := h["Vary"]
	if hasToken(vary, name) || hasToken(vary, "*") {
		return
	}
	if len(vary) == 0 {
		h["Vary"] = value
		return
	}
	h["Vary"] = append(vary, name)
}

// lengthDropped reports whether the Content-Length that Respond set for a
// HEAD is gone from h once the status went out: a writer between (a
// compressor) dropped it, and makes a body of its own from the problem's.
// It then gets the body for HEAD too, as for GET, and the server, which
// sends none of it, takes the length from what it makes.
func lengthDropped(h http.Header) bool {
	_, kept := h["Content-Length"]
	return !kept
}

const maxPooledBuffer = 64 << 10

var bufPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 1024)
	return &b
}}
