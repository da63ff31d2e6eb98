package retry

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/problem"
)

// Options configure a [Transport]. The zero value, like nil, gives the
// defaults each field names.
type Options struct {
	// Catalog gives the retry policies and default delays of statuses and
	// problem types (see [Advise]). Default: [catalog.Default].
	Catalog *catalog.Catalog
	// MaxAttempts is how many times a request is sent at most, the first
	// time among them. Default: 5 (the first and 4 retries). 1 turns
	// retries off.
	MaxAttempts int
	// MaxWait bounds the sum of the waits between the attempts of one
	// request (the time the requests themselves take is the context's to
	// bound). A wait that would go beyond it is not begun: the response is
	// returned instead. Default: 1 minute.
	MaxWait time.Duration
	// BaseDelay is the backoff before the first retry; it doubles for each
	// further retry, up to MaxDelay. Each wait is drawn at random between
	// half the backoff and all of it. Default: 1 s, or MaxDelay when that
	// is set and shorter.
	BaseDelay time.Duration
	// MaxDelay caps the backoff, the first one among them: a BaseDelay
	// above it counts as MaxDelay. It does not cap a delay the server asks
	// for: that is waited in full, within MaxWait, or not at all. Default:
	// 30 s, or BaseDelay when that is longer.
	MaxDelay time.Duration
	// RetryNonIdempotent lets the transport repeat a request whose method
	// is not idempotent (POST, PATCH, ...) and that carries no
	// Idempotency-Key, when the response allows a repeat. Default: false;
	// such a request is sent once, unless it carries an Idempotency-Key.
	RetryNonIdempotent bool
	// Sleep waits d, or until ctx is done, and then returns ctx.Err() at
	// once. Tests give it a fake clock. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Transport is an [http.RoundTripper] that repeats a request on the
// advice of [Advise]. Make one with [NewTransport]; it is safe for
// concurrent use.
//
// For each response of 400 or more it reads a problem body (up to
// [problem.MaxResponseBody]) to learn the problem's type, and puts it
// back, so the caller reads the body as it came. When the advice is to
// retry, it waits the longer of the delay the advice names and the
// backoff (see [Options]), discards the response, and sends the request
// again. Discarding reads at most [problem.MaxResponseBody] bytes (1 MiB)
// of a problem body, which it read to learn the type, and 64 KiB of any
// other body, so that the connection can be reused when the body ends
// within that, and closes the body. It returns the first
// response it is not advised to retry, or the last one: after
// MaxAttempts, or when the next wait would go beyond MaxWait or the
// context's deadline. The caller turns a failed response into an error
// with [problem.CheckResponse], which returns its problem.
//
// It sends a request again only when it can send its body again: a
// request with a body needs GetBody (http.NewRequest sets it for a
// *bytes.Buffer, *bytes.Reader or *strings.Reader body). It never repeats
// a request that is not idempotent unless it carries an Idempotency-Key
// or X-Idempotency-Key header, of any value, as net/http's own replays
// count them (see [Advise]), or [Options.RetryNonIdempotent] is set. A cancelled context stops a
// wait at once, and RoundTrip then returns the context's error. An error
// of the base transport is returned as it is: net/http's Transport
// itself repeats an idempotent request whose reused connection failed,
// and an error says nothing of when to come back.
//
// Compared with the defaults of hashicorp/go-retryablehttp's Client
// (NewClient; its client.go):
//
//	                 retry.Transport                       go-retryablehttp Client
//	attempts         5 (MaxAttempts)                       5 (RetryMax 4)
//	backoff          1 s doubling to 30 s, each wait       1 s doubling to 30 s (RetryWaitMin,
//	                 drawn from half to all of it          RetryWaitMax, DefaultBackoff), no jitter;
//	                                                       LinearJitterBackoff jitters a linear one
//	which responses  the catalog's policy of the type,     5xx but 501, and status 0
//	                 else the status: by default 408,      (DefaultRetryPolicy); newer versions
//	                 421, 423, 425, 429, 500, 502-504,     add 429
//	                 507 and unlisted 5xx; 413 with a
//	                 Retry-After
//	server's delay   Retry-After (seconds, all three       none; newer versions take Retry-After
//	                 date forms, counted from Date), a     on 429 and 503 (seconds or an RFC 1123
//	                 used-up RateLimit reset, the          date, counted from the local clock),
//	                 catalog's default; never shortened    uncapped
//	total wait       MaxWait, 1 min                        no bound but the attempts
//	methods          idempotent ones, and others with      all, POST among them
//	                 an Idempotency-Key or when told
//	request body     replayed with req.GetBody; without    its own Request type, which reads an
//	                 it, no retry                          io.Reader body whole before the first try
//	transport errors returned at once                      retried, but for too many redirects, a
//	                                                       bad scheme and an untrusted certificate
//	after the last   the last response, its body intact    the body closed, and an error "giving
//	attempt                                                up after N attempt(s)" (unless an
//	                                                       ErrorHandler returns the response)
//	discarded bodies up to 64 KiB drained (a problem       up to 4 KiB drained, then closed
//	                 body: up to 1 MiB read), then closed
//	cancelled ctx    the wait stops; ctx.Err()             the same
type Transport struct {
	base   http.RoundTripper
	opts   Options
	jitter func() float64 // in [0, 1)
}

// Default options.
const (
	defaultMaxAttempts = 5
	defaultMaxWait     = time.Minute
	defaultBaseDelay   = time.Second
	defaultMaxDelay    = 30 * time.Second
)

// drainLimit is how much of a discarded response's body is read, so that
// its connection can be reused; a longer body's connection is closed. Of
// a problem body, peekProblem has read up to problem.MaxResponseBody
// already; drainLimit counts from the start of what it put back.
const drainLimit = 64 << 10

// NewTransport returns a [Transport] that sends requests with base (nil
// means [http.DefaultTransport]) and retries them as opts says (nil means
// the defaults). The options are copied. It panics when an option is
// negative: build transports at startup. Any options that are not
// negative work together (see each field's default).
func NewTransport(base http.RoundTripper, opts *Options) *Transport {
	if base == nil {
		base = http.DefaultTransport
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	switch {
	case o.MaxAttempts < 0:
		panic(fmt.Sprintf("retry: MaxAttempts %d is negative", o.MaxAttempts))
	case o.MaxWait < 0:
		panic(fmt.Sprintf("retry: MaxWait %v is negative", o.MaxWait))
	case o.BaseDelay < 0:
		panic(fmt.Sprintf("retry: BaseDelay %v is negative", o.BaseDelay))
	case o.MaxDelay < 0:
		panic(fmt.Sprintf("retry: MaxDelay %v is negative", o.MaxDelay))
	}
	if o.Catalog == nil {
		o.Catalog = catalog.Default()
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = defaultMaxAttempts
	}
	if o.MaxWait == 0 {
		o.MaxWait = defaultMaxWait
	}
	if o.BaseDelay == 0 {
		o.BaseDelay = defaultBaseDelay
		if o.MaxDelay > 0 {
			o.BaseDelay = min(defaultBaseDelay, o.MaxDelay)
		}
	}
	if o.MaxDelay == 0 {
		o.MaxDelay = max(defaultMaxDelay, o.BaseDelay)
	}
	o.BaseDelay = min(o.BaseDelay, o.MaxDelay) // MaxDelay caps the first backoff too
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	return &Transport{base: base, opts: o, jitter: rand.Float64}
}

// RoundTrip implements [http.RoundTripper]: it sends req, and sends it
// again as the responses advise (see [Transport]).
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var waited time.Duration
	out := req
	for attempt := 1; ; attempt++ {
		resp, err := t.base.RoundTrip(out)
		if err != nil || !t.mayRetry(req, resp, attempt) {
			return resp, err
		}
		a := advise(resp, req, peekProblem(resp), t.opts.Catalog, t.opts.RetryNonIdempotent)
		if !a.Retry {
			return resp, nil
		}
		wait := max(a.After, t.backoff(attempt))
		if wait > t.opts.MaxWait-waited { // waited <= MaxWait: no overflow
			return resp, nil
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return resp, nil
		}
		next, err := rewind(req)
		if err != nil {
			return resp, nil // the body cannot be sent again
		}
		discard(resp)
		if err := t.opts.Sleep(ctx, wait); err != nil {
			if next.Body != nil {
				_ = next.Body.Close()
			}
			return nil, err
		}
		waited += wait
		out = next
	}
}

// mayRetry reports whether resp, to the attempt-th sending of req, might
// be retried at all, before its body is looked at.
func (t *Transport) mayRetry(req *http.Request, resp *http.Response, attempt int) bool {
	return resp.StatusCode >= 400 && attempt < t.opts.MaxAttempts &&
		(req.Body == nil || req.Body == http.NoBody || req.GetBody != nil) &&
		(t.opts.RetryNonIdempotent || idempotent(req))
}

// backoff returns the wait before the retry that follows the attempt-th
// sending: BaseDelay doubled attempt-1 times, capped at MaxDelay, then
// drawn between half of it and all of it.
func (t *Transport) backoff(attempt int) time.Duration {
	d := t.opts.BaseDelay
	for i := 1; i < attempt && d < t.opts.MaxDelay; i++ {
		if d > t.opts.MaxDelay/2 {
			d = t.opts.MaxDelay // doubling would pass it, or overflow
			break
		}
		d *= 2
	}
	return d/2 + time.Duration(t.jitter()*float64(d-d/2))
}

// rewind returns a copy of req to send again, with a fresh body from
// GetBody.
func rewind(req *http.Request) (*http.Request, error) {
	next := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		return next, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	next.Body = body
	return next, nil
}

// peekProblem returns the problem resp carries, if it has a problem body
// of at most problem.MaxResponseBody bytes, and leaves the body as it came
// (see [problem.PeekResponse]); else nil.
func peekProblem(resp *http.Response) *problem.Problem {
	p, err := problem.PeekResponse(resp)
	if err != nil {
		return nil
	}
	return p
}

// discard drains up to drainLimit bytes of resp's body (of a problem body,
// peekProblem has read up to problem.MaxResponseBody already), so its
// connection can be reused, and closes it.
func discard(resp *http.Response) {
	if resp.Body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
	_ = resp.Body.Close()
}

// sleep waits d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
