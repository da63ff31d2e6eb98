package problem

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
)

// MaxResponseBody is the largest problem body [FromResponse] reads.
const MaxResponseBody = 1 << 20

// ErrNotProblem is returned by [FromResponse] for a response that does not
// carry a problem details body.
var ErrNotProblem = errors.New("problem: response is not a problem")

// clientHeaders are the response headers a problem read from a response
// keeps: those that tell the client what to do next.
var clientHeaders = []string{"Retry-After", "Allow", "WWW-Authenticate", "Proxy-Authenticate"}

// FromResponse reads a problem from a response whose Content-Type is
// application/problem+json or application/problem+xml. It reads at most
// [MaxResponseBody] bytes of the body and closes it.
//
// The problem's Status is the response's status code, which intermediaries
// and generic HTTP software honour, whatever the body says. Its Header keeps
// Retry-After, Allow, WWW-Authenticate and Proxy-Authenticate, so the
// problem, returned as an error, tells its caller when to retry (see
// [Problem.RetryAfter]).
//
// A relative type or instance is resolved against the URL of the request
// that got the response (RFC 9457 §3.1.1 and §3.1.5, RFC 3986 §5), the last
// request after redirects, without its user info and fragment; so
// errors.Is(err, t) matches a [Type] t with the absolute URI. Content-Location
// is not used as a base URI: RFC 7231 (Appendix B) removed that role, and
// RFC 9110 §8.7 gives it none. An absolute
// reference, about:blank among them, is kept exactly as sent, and so is one
// that does not parse, or any reference when the response has no request
// with an absolute URL.
//
// The response to a HEAD request has no body: it gives a problem of type
// about:blank with the response's status and headers. A response of another
// media type gives an error that matches [ErrNotProblem]; a body that is
// too large or not a problem gives an error too.
func FromResponse(resp *http.Response) (*Problem, error) {
	if resp == nil {
		return nil, errors.New("problem: nil response")
	}
	if resp.Body != nil {
		defer resp.Body.Close()
	}
	ct := resp.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/problem+json" && mt != "application/problem+xml") {
		return nil, fmt.Errorf("%w: status %d, Content-Type %q", ErrNotProblem, resp.StatusCode, ct)
	}
	if resp.Body == nil {
		return nil, fmt.Errorf("problem: status %d: no body", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody+1))
	if err != nil {
		return nil, fmt.Errorf("problem: reading the body: %w", err)
	}
	if len(data) > MaxResponseBody {
		return nil, fmt.Errorf("problem: status %d: body larger than %d bytes", resp.StatusCode, MaxResponseBody)
	}

	var p *Problem
	switch {
	case len(data) == 0 && resp.Request != nil && resp.Request.Method == http.MethodHead:
		p = &Problem{Type: AboutBlank} // the status and headers are all there is
	case mt == "application/problem+json":
		p = new(Problem)
		err = json.Unmarshal(data, p)
	default:
		p, err = decodeXML(data)
	}
	if err != nil {
		return nil, fmt.Errorf("problem: status %d: %w", resp.StatusCode, err)
	}
	if p.Type == "" { // a JSON null
		return nil, fmt.Errorf("problem: status %d: body is not a problem object", resp.StatusCode)
	}
	if req := resp.Request; req != nil && req.URL != nil && req.URL.IsAbs() {
		base := *req.URL
		base.User = nil // credentials in the URL are not the problem's
		base.Fragment, base.RawFragment = "", ""
		p.Type = resolveReference(&base, p.Type)
		p.Instance = resolveReference(&base, p.Instance)
	}
	p.Status = resp.StatusCode
	for _, k := range clientHeaders {
		if vs := resp.Header.Values(k); len(vs) > 0 {
			if p.Header == nil {
				p.Header = make(http.Header, len(clientHeaders))
			}
			p.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
		}
	}
	return p, nil
}

// resolveReference returns ref resolved against base (RFC 3986 §5.2), or ref
// as it is when it is empty, absolute, or not a URI reference url.Parse
// reads.
func resolveReference(base *url.URL, ref string) string {
	if ref == "" {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil || u.IsAbs() {
		return ref
	}
	return base.ResolveReference(u).String()
}
