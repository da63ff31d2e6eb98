// Package catalog holds the status table of an HTTP API: for each status
// code its reason phrase, a description for the docs and retry guidance,
// with the docs made from the same table ([Catalog.WriteMarkdown],
// [Catalog.WriteOpenAPI]).
//
// [Default] lists every status code registered with IANA with its RFC 9110
// phrase. A vendor that documents its own phrases, descriptions and delays
// keeps them in a catalog file, which [Load] reads over the default:
//
//	{
//	  "statuses": [
//	    {"code": 400, "phrase": "BadRequest", "description": "The request is invalid.", "retry": "never"},
//	    {"code": 429, "phrase": "TooManyRequests", "retry": "after-delay", "retryAfter": 30}
//	  ]
//	}
//
// The service then answers as documented, with the catalog's phrases as
// titles and its delays as Retry-After:
//
//	f, err := os.Open("status.json")
//	if err != nil {
//		log.Fatal(err)
//	}
//	cat, err := catalog.Load(f)
//	f.Close()
//	if err != nil {
//		log.Fatal(err) // the error names the entry: catalog: statuses[1] (code 429): ...
//	}
//	m := middleware.New(&middleware.Options{Catalog: cat})
//	http.Handle("GET /items/{id}", m.Handle(getItem))
//
// and the docs come from the same file:
//
//	err = cat.Subset(func(e catalog.Entry) bool { return e.Code >= 400 }).WriteMarkdown(os.Stdout)
//
// A client uses the same table to decide whether to repeat a request
// ([Catalog.Retry]). An entry may also declare the vendor's quota policies
// ("quotaPolicies", see [Load] and [QuotaPolicy]), which responses with its
// status advertise in their RateLimit-Policy field.
//
// The file may also list the vendor's error codes, each a problem type with
// a status, a title, a description, retry guidance and quota policies
// (its status's, unless it declares its own) ([Type]):
//
//	{
//	  "typeBase": "https://docs.example.com/errors/",
//	  "statuses": [],
//	  "types": [
//	    {"code": "APIGW.0301", "status": 401, "title": "Incorrect IAM authentication information"}
//	  ]
//	}
//
// [Catalog.Type] looks a code up, [Catalog.Types] lists them in file order,
// and package problem makes problems of them, which send the code as the
// extension member "code" (see problem.MustType and problem.Type.Code: the
// problem carries it outside its Extensions map). The problem types
// registered with IANA are built in ([IANA]), and so are those the
// RateLimit header draft proposes for registration ([RateLimitType]; a
// draft, not yet registered).
//
// A catalog file's texts are in its "language" ("en" by default);
// [Catalog.WithTranslation] adds translations of them, files of the same
// shape with another language and texts only, and package problem picks
// the language of each response by Accept-Language ([Catalog.Matcher],
// [Catalog.TitleIn], [Catalog.TypeIn]).
//
// [Catalog.Pages] serves the catalog as documentation, so that each type's
// URI leads to a page for people (RFC 9457 §3.1.1): a page for each type at
// its URI's path under the typeBase, one for each status at status/ and its
// code, and an index of them, in HTML for browsers and in JSON for other
// clients, in the language Accept-Language asks for:
//
//	http.Handle("docs.example.com/errors/", cat.Pages(nil)) // .../errors/APIGW.0301, .../errors/status/404
//
// Package catalog imports only the standard library,
// golang.org/x/text/language for language matching and, of this module,
// only the internal list of standard member names: package problem builds
// on it, not the other way round.
package catalog
