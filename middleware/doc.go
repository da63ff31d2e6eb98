// Package middleware makes every error of a net/http handler stack come out
// as an RFC 9457 problem: errors that handlers return, panics, and the bare
// error responses that http.Error, http.ServeMux, http.FileServer and
// http.TimeoutHandler write.
//
//	m := middleware.New(nil) // or &middleware.Options{...}
//
//	mux := http.NewServeMux()
//	mux.Handle("GET /items/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
//		item, err := store.Get(r.Context(), r.PathValue("id"))
//		if err != nil {
//			return err // store.ErrNotFound mapped to 404 by a Mapper; others are 500
//		}
//		return json.NewEncoder(w).Encode(item)
//	}))
//	http.ListenAndServe(":8080", m.Wrap(mux)) // mux 404/405 and panics too
//
// Errors become problems in the order problem.Resolve documents, and are
// written by the same problem.Responder that the Echo adapter
// (middleware/problemecho) uses, so both stacks send the same bytes.
//
// The package uses only the standard library.
package middleware
