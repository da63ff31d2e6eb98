// Package middleware makes every error of a net/http handler stack come out
// as an RFC 9457 problem: errors that handlers return, panics, and the bare
// error responses that http.Error, http.ServeMux, http.FileServer and
// http.TimeoutHandler write.
//
//	m := middleware.New(&middleware.Options{Mappers: []problem.Mapper{
//		problem.MapIs(store.ErrNotFound, problem.Type{Status: http.StatusNotFound}),
//	}}) // or middleware.New(nil) for the defaults
//
//	mux := http.NewServeMux()
//	mux.Handle("GET /items/{id}", m.Handle(func(w http.ResponseWriter, r *http.Request) error {
//		item, err := store.Get(r.Context(), r.PathValue("id"))
//		if err != nil {
//			return err // store.ErrNotFound is a 404 by the Mapper; any other error a 500
//		}
//		w.Header().Set("Content-Type", "application/json")
//		return json.NewEncoder(w).Encode(item)
//	}))
//	http.ListenAndServe("localhost:8080", m.Wrap(mux)) // mux 404/405 and panics too
//
// Errors become problems in the order [problem.Resolve] documents, and are
// written by the same [problem.Responder] that the Echo adapters
// (middleware/problemecho for Echo v4, middleware/problemecho5 for Echo v5)
// use, so all three stacks send the same bytes.
//
// Besides the standard library, the package imports only this module's
// packages problem and catalog (and internal ones), and through them
// golang.org/x/text/language, for Accept-Language: a net/http service
// compiles no framework.
package middleware
