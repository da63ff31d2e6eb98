// Package retry tells a client whether to repeat a request that failed,
// and when ([Advise]), and repeats it on that advice ([Transport], an
// [http.RoundTripper]).
//
// The advice comes from what the response says (Retry-After, the RateLimit
// field of draft-ietf-httpapi-ratelimit-headers) and from the service's
// catalog (package catalog): the retry policy of the problem's type, else
// of the status, and its default delay. The same catalog that makes the
// server's responses and docs thus drives its clients:
//
//	client := &http.Client{Transport: retry.NewTransport(nil, &retry.Options{Catalog: cat})}
//	resp, err := client.Get(url)
//	if err != nil {
//		return err
//	}
//	if err := problem.CheckResponse(resp); err != nil {
//		return fmt.Errorf("get order: %w", err) // the problem of the last attempt, as an error
//	}
//	defer resp.Body.Close()
//
// The package is apart from package problem because it is a client's
// policy, with options of its own, that a server never needs; it uses
// only the standard library and this module's packages problem and
// catalog (and its internal parser of Structured Fields).
package retry
