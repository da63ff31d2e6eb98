// Package problem implements Problem Details for HTTP APIs (RFC 9457): the
// [Problem] type, reusable problem [Type]s, the JSON and XML encodings,
// turning any error into a problem ([Resolve]), writing a problem as a
// response ([Responder]) and reading one back ([FromResponse]).
//
// A handler returns a problem as an error:
//
//	func getItem(w http.ResponseWriter, r *http.Request) error {
//		item, err := store.Get(r.PathValue("id"))
//		if errors.Is(err, store.ErrNotFound) {
//			return problem.New(http.StatusNotFound, "item "+r.PathValue("id")+" does not exist")
//		}
//		if err != nil {
//			return err // a 500 without the error's text
//		}
//		...
//	}
//
// and the middleware (package middleware, or problemecho and problemecho5
// for Echo) writes, with the instance member left out here (the middleware
// adds the request's path as one unless Options.Instance says otherwise):
//
//	HTTP/1.1 404 Not Found
//	Content-Type: application/problem+json
//	Cache-Control: no-store
//	Vary: Accept
//	X-Content-Type-Options: nosniff
//
//	{"type":"about:blank","title":"Not Found","status":404,"detail":"item 42 does not exist"}
//
// The title comes from the catalog (package catalog): [catalog.Default]
// holds every status code registered with IANA with its RFC 9110 phrase,
// and [catalog.Load] reads a service's own table (its phrases, descriptions
// and retry guidance), which [Responder.Catalog] then answers with. A
// catalog's error-code types become problem types with [MustType], whose
// problems send the code as an extension member, which they carry outside
// Extensions (see [Type.Code] and [Problem.Code]):
//
//	var TokenExpired = problem.MustType(cat, "APIGW.0301")
//
//	return TokenExpired.New("token expired")
//
// The package uses only the standard library, package catalog and
// golang.org/x/text/language, for negotiating Accept-Language.
package problem
