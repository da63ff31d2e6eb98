// Package problemkit makes every error an HTTP API returns correct and
// uniform: an RFC 9457 Problem Details body (application/problem+json, or
// application/problem+xml), the right status, the right title, and the
// headers the status calls for (Retry-After, Allow, WWW-Authenticate).
//
// The module is made of these packages:
//
//   - catalog: the status table: each code's phrase, description and retry
//     guidance, loaded from a vendor's file, and the docs made from it
//     (Markdown, OpenAPI). Standard library only, and nothing else of this
//     module.
//   - problem: the Problem type, problem types, JSON and XML encoding,
//     turning errors into problems, writing a problem as a response (with
//     the titles and delays of a catalog) and reading one back. Standard
//     library and catalog only.
//   - middleware: net/http middleware: handlers that return errors,
//     recovery from panics, and bare error responses (ServeMux 404 and 405,
//     http.Error) rewritten as problems. Standard library only.
//   - middleware/problemecho: the same for Echo v4, as an HTTPErrorHandler.
//   - problem/problemvalidator: go-playground/validator v10 failures as 422
//     problems with an "errors" array of JSON Pointers.
//
// This package holds no code; it documents the module and holds its
// end-to-end tests.
package problemkit
