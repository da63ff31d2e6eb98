package problemtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

// Reply is one answer in the script of an [Upstream]: a status, a catalog
// type or a problem, with the headers it adds. Make one with
// [ReplyStatus], [ReplyType] or [ReplyProblem]; its With... methods
// return changed copies.
type Reply struct {
	status     int
	code       string
	problem    *problem.Problem
	header     http.Header
	rateLimit  *problem.RateLimit
	nilProblem bool // ReplyProblem(nil), refused by NewUpstream
}

// ReplyStatus returns a reply with the given status: for 400 and above a
// problem of type about:blank, as the catalog writes it (its title, its
// default Retry-After); below 400 the status alone, without a body.
func ReplyStatus(status int) Reply { return Reply{status: status} }

// ReplyType returns a reply with a problem of the catalog's type with the
// given code (see [catalog.Catalog.Type]), with its status, title and
// code member, and its default Retry-After.
func ReplyType(code string) Reply { return Reply{code: code} }

// ReplyProblem returns a reply with p, such as one of
// [problem.RateLimited]'s.
func ReplyProblem(p *problem.Problem) Reply {
	return Reply{problem: p, nilProblem: p == nil}
}

// WithRetryAfter returns a copy of r with the Retry-After value as it is
// written, delay-seconds ("120") or an HTTP-date ("Sun, 06 Nov 1994
// 08:49:37 GMT"), or anything else a test needs a client to cope with.
func (r Reply) WithRetryAfter(value string) Reply { return r.WithHeader("Retry-After", value) }

// WithRateLimit returns a copy of r whose problem carries the RateLimit
// and RateLimit-Policy fields of rl (see [problem.Problem.WithRateLimit]):
// a used-up limit holds its Retry-After back to its reset.
func (r Reply) WithRateLimit(rl problem.RateLimit) Reply {
	r.rateLimit = &rl
	return r
}

// WithHeader returns a copy of r that sends the header key with value,
// replacing earlier values. On a problem reply the value replaces the one
// the [problem.Responder] writes, so that a test can fake what a proxy or
// a cache sends (a Content-Type of text/html, a Cache-Control); only
// [Reply.WithRateLimit] goes after it, and holds Retry-After back to the
// limit's reset.
func (r Reply) WithHeader(key, value string) Reply {
	r.header = r.header.Clone()
	if r.header == nil {
		r.header = make(http.Header, 1)
	}
	r.header.Set(key, value)
	return r
}

// UpstreamRequest is a request an [Upstream] received.
type UpstreamRequest struct {
	// Method is the request's method.
	Method string
	// URL is the request's URL, as the server saw it: path and query.
	URL *url.URL
	// Header holds the request's headers.
	Header http.Header
	// Body is the request's body, up to 1 MiB.
	Body []byte
}

// Upstream is a fake upstream service for client tests: an
// [httptest.Server] on loopback that answers each request with the next
// reply of its script, written by a [problem.Responder] with the catalog,
// and records the requests it got. When the script is used up it repeats
// its last reply. It is safe for concurrent use.
type Upstream struct {
	*httptest.Server

	replies []upstreamReply

	mu       sync.Mutex
	next     int
	requests []UpstreamRequest
}

// upstreamReply is a reply made ready to be written.
type upstreamReply struct {
	status  int
	problem *problem.Problem // nil below 400
	header  http.Header      // the headers WithHeader gave, sent over the Responder's
}

// upstreamOverlay is the ResponseWriter a problem reply is written to: it
// lays the reply's own headers over the Responder's just before the
// header is sent.
type upstreamOverlay struct {
	http.ResponseWriter
	header http.Header
	sent   bool
}

func (w *upstreamOverlay) WriteHeader(code int) {
	if !w.sent && code >= 200 {
		w.sent = true
		for k, vs := range w.header {
			w.ResponseWriter.Header()[k] = vs
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *upstreamOverlay) Write(b []byte) (int, error) {
	if !w.sent {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap returns the ResponseWriter beneath, for http.ResponseController.
func (w *upstreamOverlay) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// NewUpstream starts an [Upstream] that answers with replies in turn, its
// problems written with cat (nil means [catalog.Default]). It closes the
// server when the test ends (t.Cleanup). A reply it cannot send (no
// replies, a code cat lacks, a status outside 200-599, a rate limit that
// cannot be sent, a header name that is not a token, a header value with
// a line break) fails the test at once: a 1xx status is refused, since net/http sends one only as an
// interim response before the final one, which would be a 200.
func NewUpstream(t testing.TB, cat *catalog.Catalog, replies ...Reply) *Upstream {
	t.Helper()
	if cat == nil {
		cat = catalog.Default()
	}
	if len(replies) == 0 {
		t.Fatalf("problemtest: NewUpstream needs at least one reply")
	}
	u := &Upstream{replies: make([]upstreamReply, len(replies))}
	for i, r := range replies {
		ready, err := upstreamPrepare(cat, r)
		if err != nil {
			t.Fatalf("problemtest: reply %d: %v", i, err)
		}
		u.replies[i] = ready
	}
	rs := &problem.Responder{Catalog: cat}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r := u.record(req)
		if r.problem == nil {
			for k, vs := range r.header {
				w.Header()[k] = vs
			}
			w.WriteHeader(r.status)
			return
		}
		// what it reports is the upstream's own business
		_ = rs.Respond(&upstreamOverlay{ResponseWriter: w, header: r.header}, req, r.problem)
	}))
	t.Cleanup(u.Close)
	return u
}

// upstreamPrepare checks r and makes it ready to be written.
func upstreamPrepare(cat *catalog.Catalog, r Reply) (upstreamReply, error) {
	var p *problem.Problem
	switch {
	case r.nilProblem:
		return upstreamReply{}, errors.New("nil problem")
	case r.problem != nil:
		p = r.problem.Clone()
	case r.code != "":
		t, ok := cat.Type(r.code)
		if !ok {
			return upstreamReply{}, fmt.Errorf("the catalog has no type with code %q", r.code)
		}
		p = problem.Of(t).New("")
	case r.status >= 100 && r.status < 200:
		return upstreamReply{}, fmt.Errorf("status %d is informational, which net/http sends only before a final response; an Upstream replies 200 to 599", r.status)
	case r.status < 200 || r.status > 599:
		return upstreamReply{}, fmt.Errorf("status %d is not 200 to 599", r.status)
	case r.status >= 400:
		p = problem.New(r.status, "")
	}
	for k, vs := range r.header {
		if !ptToken(k) {
			// net/http's server leaves such a field out, without a word.
			return upstreamReply{}, fmt.Errorf("header name %q is not a token (RFC 9110 §5.1), which net/http does not send", k)
		}
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n") {
				return upstreamReply{}, fmt.Errorf("header %q has a line break", k)
			}
		}
	}
	if p == nil {
		return upstreamReply{status: r.status, header: r.header}, nil
	}
	for k, vs := range r.header {
		p = p.WithHeader(k, vs...)
	}
	if r.rateLimit != nil {
		var err error
		if p, err = p.WithRateLimit(*r.rateLimit); err != nil {
			return upstreamReply{}, err
		}
	}
	over := r.header.Clone()
	if r.rateLimit != nil {
		// The Responder holds the problem's Retry-After back to the
		// limit's reset, as WithRateLimit says: that one is sent.
		delete(over, "Retry-After")
	}
	return upstreamReply{status: p.Status, problem: p, header: over}, nil
}

// record keeps req and returns the reply it gets.
func (u *Upstream) record(req *http.Request) upstreamReply {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	u.mu.Lock()
	defer u.mu.Unlock()
	u.requests = append(u.requests, UpstreamRequest{
		Method: req.Method,
		URL:    upstreamCloneURL(req.URL),
		Header: req.Header.Clone(),
		Body:   body,
	})
	r := u.replies[min(u.next, len(u.replies)-1)]
	u.next++
	return r
}

// Requests returns copies of the requests the upstream got, in the order
// it answered them.
func (u *Upstream) Requests() []UpstreamRequest {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make([]UpstreamRequest, len(u.requests))
	for i, r := range u.requests {
		out[i] = UpstreamRequest{Method: r.Method, URL: upstreamCloneURL(r.URL), Header: r.Header.Clone(), Body: bytes.Clone(r.Body)}
	}
	return out
}

func upstreamCloneURL(u *url.URL) *url.URL {
	c := *u
	if u.User != nil {
		user := *u.User
		c.User = &user
	}
	return &c
}
