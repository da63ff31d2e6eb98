// Package problemtest tests problem responses (RFC 9457), whatever server
// produced them, with the standard testing package or beside testify.
//
// [Assert] checks a response recorded by an [httptest.ResponseRecorder],
// or one an [http.Client] got, against a [Want], in one line; only the
// fields of the Want that are set are compared:
//
//	rec := httptest.NewRecorder()
//	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/items/42", nil))
//	problemtest.Assert(t, rec, problemtest.Want{Status: 404, Title: "Not Found"})
//
// When the response differs, the failure message says what differs and
// shows the whole response, its body indented:
//
//	problemtest.Assert: the response differs from Want:
//	    status = 404, want 410
//	    title = "Not Found", want "Gone"
//	response:
//	    HTTP/1.1 404 Not Found
//	    Content-Type: application/problem+json
//	    ...
//
// [Check] validates any response against RFC 9457 and the header rules of
// RFC 9110 for its status (Allow on 405, WWW-Authenticate on 401, the
// form of Retry-After, ...) and returns the [Violations] it finds;
// [AssertValid] fails the test with them. Assert applies the same rules
// besides the Want, so a response that matches the Want but breaks
// RFC 9457 still fails.
//
// Neither consumes the body: a test can read it after.
//
// The package imports only the standard library and package problem.
package problemtest
