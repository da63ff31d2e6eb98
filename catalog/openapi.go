package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/language"
)

// The members of the problem documents that the OpenAPI documents describe
// (RFC 9457 §4.2.1 and Appendix B).
const (
	aboutBlank   = "about:blank"
	xmlNamespace = "urn:ietf:rfc:7807"
)

// OpenAPIMarker is the extension member that marks each component
// [Catalog.OpenAPI] writes, so that [Catalog.MergeOpenAPI] can tell the
// components it wrote from a document's own. Its value is an object that
// names the prefix the component was written with: {"prefix": "Parcelly"}.
const OpenAPIMarker = "x-problemkit"

// OpenAPIOptions are options for [Catalog.OpenAPI] and
// [Catalog.MergeOpenAPI]. A zero OpenAPIOptions consists entirely of
// default values.
type OpenAPIOptions struct {
	// Prefix starts the name of every component written, so that they
	// cannot collide with a document's own: with "Parcelly", the schema
	// of 404 problems is ParcellyNotFound. It may hold ASCII letters,
	// digits, ".", "-" and "_". Default: "", names without a prefix
	// (Problem, NotFound, ...).
	Prefix string

	// AllStatuses describes every 4xx and 5xx status the catalog can
	// send, those of the default table included. Default: false: only the
	// statuses of [Catalog.Listed] (every status for [Default], which
	// is the table itself) and those of the types described. A catalog
	// file lists what the service sends; the default table lists what
	// HTTP has, WebDAV's codes among them, and a document that lists
	// those promises responses the service never sends.
	AllStatuses bool

	// Types are problem types beyond the catalog's own that the service
	// sends, such as those of [RateLimitType] and [IANA]; each gets a
	// schema with the members its definition documents. Default: none.
	Types []Type

	// InputErrorTypes names, by code or URI, the types whose problems
	// carry the "errors" member of input errors (RFC 9457 §3), as
	// problems of a validation type do. Problems of type about:blank
	// with status 400 or 422 may always carry it: they are what
	// problemvalidator and the Echo adapters send. Default: none.
	InputErrorTypes []string

	// Extensions names extension members any problem of the service may
	// carry beside its type's, such as the middleware's correlation
	// member ("correlationId"). Default: none.
	Extensions []string

	// Closed forbids, in the schema of each problem type and status,
	// members the schema does not name (additionalProperties false), so
	// that a response with a member the document does not describe fails
	// validation. Default: false: other members are allowed, as RFC 9457
	// §3.2 allows extensions.
	Closed bool

	// Title and Version are the document's info title and version.
	// Default: "Problem responses" and "1.0.0".
	Title, Version string
}

// WriteOpenAPI writes the document [Catalog.OpenAPI] gives with the
// default options.
func (c *Catalog) WriteOpenAPI(w io.Writer) error {
	doc, err := c.OpenAPI(nil)
	if err != nil {
		return err
	}
	_, err = w.Write(doc)
	return err
}

// OpenAPI returns an OpenAPI 3.1 document in JSON whose components describe
// the catalog's problem responses; nil opts means the default options.
//
// The schemas are the schema Problem (RFC 9457 Appendix A, with the XML
// name and namespace of Appendix B), InputError (an item of the "errors"
// member, as package problem writes it: detail, and pointer, parameter or
// header), and one schema for each problem type: for each status
// described, problems of type about:blank with that status (named after
// the status's phrase in PascalCase: "Not Found" is NotFound), and for
// each type, problems of that type (named after its code, or for a type
// without one, after its URI's last part: APIGW0301, QuotaExceeded). Each
// gives its type and status, and a type's code member, as a const, and
// lists the extension members the catalog knows for it. A name that is
// taken gets the status appended, then a number.
//
// There is one response for each status described, named as its
// about:blank schema, whose content is that schema, or oneOf it and the
// schemas of the types with that status; it has an example for each
// schema in each of the catalog's languages (see
// [Catalog.WithTranslation]). Each response documents the headers its
// status calls for: Allow for 405, WWW-Authenticate for 401,
// Proxy-Authenticate for 407, Retry-After for after-delay statuses and
// types, and Content-Language when the catalog has several languages.
//
// Every component carries the member [OpenAPIMarker]. Reference the
// responses from another document as
// problems.json#/components/responses/NotFound, or merge the components
// into it with [Catalog.MergeOpenAPI].
func (c *Catalog) OpenAPI(opts *OpenAPIOptions) ([]byte, error) {
	doc, err := c.openapiDocument(opts)
	if err != nil {
		return nil, err
	}
	return openapiIndent(doc)
}

// openapiDocument builds the document OpenAPI writes.
func (c *Catalog) openapiDocument(opts *OpenAPIOptions) (object, error) {
	var o OpenAPIOptions
	if opts != nil {
		o = *opts
	}
	if o.Title == "" {
		o.Title = "Problem responses"
	}
	if o.Version == "" {
		o.Version = "1.0.0"
	}
	if !openapiName(o.Prefix) {
		return nil, fmt.Errorf("catalog: OpenAPI prefix %q may hold only ASCII letters, digits, \".\", \"-\" and \"_\"", o.Prefix)
	}
	types, err := c.openapiTypes(o)
	if err != nil {
		return nil, err
	}
	inputTypes := make(map[string]bool, len(o.InputErrorTypes))
	for _, name := range o.InputErrorTypes {
		i := slices.IndexFunc(types, func(t openapiType) bool { return t.Code != "" && t.Code == name || t.URI == name })
		if i < 0 {
			return nil, fmt.Errorf("catalog: OpenAPI input-error type %q is not a type of the catalog nor of the options", name)
		}
		inputTypes[types[i].URI] = true
	}
	for _, name := range o.Extensions {
		if strings.TrimSpace(name) == "" || standardMember(name) {
			return nil, fmt.Errorf("catalog: OpenAPI extension %q is blank or a standard member", name)
		}
	}

	g := &openapiGen{cat: c, opts: o, langs: c.Languages(), taken: map[string]bool{}}
	g.marker = object{{"prefix", o.Prefix}}
	problemName := g.name("Problem", "")
	inputName := g.name("InputError", "")
	g.problemRef = object{{"$ref", "#/components/schemas/" + problemName}}
	g.inputRef = object{{"$ref", "#/components/schemas/" + inputName}}

	// The statuses described, in code order.
	statuses := map[int]bool{}
	for _, e := range c.entries {
		if e.Code >= 400 && !e.unused() && (o.AllStatuses || c.lists(e.Code)) {
			statuses[e.Code] = true
		}
	}
	for _, t := range types {
		statuses[t.Status] = true
	}
	codes := slices.Sorted(func(yield func(int) bool) {
		for code := range statuses {
			if !yield(code) {
				return
			}
		}
	})

	schemas := object{
		{problemName, g.problemSchema()},
		{inputName, g.inputErrorSchema()},
	}
	responses := object{}
	for _, code := range codes {
		e, listed := c.Lookup(code)
		listed = listed && !e.unused() && (o.AllStatuses || c.lists(code))
		if !listed {
			e = Entry{Code: code, Phrase: c.Title(code)}
			e.Retry, e.RetryAfter = c.Retry(code)
		}
		respName := g.name(pascalCase(e.Phrase), strconv.Itoa(code))
		var refs []any
		var examples object
		retry := e.Retry == RetryAfterDelay
		if listed {
			schemas = append(schemas, member{respName, g.statusSchema(e)})
			refs = append(refs, object{{"$ref", "#/components/schemas/" + respName}})
			examples = append(examples, g.statusExamples(respName, e)...)
		}
		for _, t := range types {
			if t.Status != code {
				continue
			}
			name := g.name(t.name, strconv.Itoa(code))
			schemas = append(schemas, member{name, g.typeSchema(t, inputTypes[t.URI])})
			refs = append(refs, object{{"$ref", "#/components/schemas/" + name}})
			examples = append(examples, g.typeExamples(name, t)...)
			retry = retry || t.Retry == RetryAfterDelay
			e.QuotaPolicies = openapiAddPolicies(e.QuotaPolicies, t.QuotaPolicies)
		}
		responses = append(responses, member{respName, g.response(e, retry, refs, examples)})
	}

	return object{
		{"openapi", "3.1.0"},
		{"info", object{{"title", o.Title}, {"version", o.Version}}},
		{"components", object{
			{"schemas", schemas},
			{"responses", responses},
		}},
	}, nil
}

// openapiType is a type an OpenAPI document describes, with the name its
// schema is given and, for a catalog type, its position in the catalog.
type openapiType struct {
	Type
	name  string
	index int // in c.types; -1 for a type of the options
}

// openapiTypes returns the catalog's types and those of the options,
// checked.
func (c *Catalog) openapiTypes(o OpenAPIOptions) ([]openapiType, error) {
	var types []openapiType
	uris := map[string]bool{}
	for i, t := range c.types {
		types = append(types, openapiType{Type: t, name: pascalCase(t.Code), index: i})
		uris[t.URI] = true
	}
	for i, t := range o.Types {
		switch {
		case t.URI == "" || t.URI == aboutBlank:
			return nil, fmt.Errorf("catalog: OpenAPI type %d has no URI of its own", i)
		case !c.Sendable(t.Status):
			return nil, fmt.Errorf("catalog: OpenAPI type %q: status %d is not one a problem can be sent with", t.URI, t.Status)
		case uris[t.URI]:
			return nil, fmt.Errorf("catalog: OpenAPI type %q is listed twice", t.URI)
		case t.Code != "" && t.CodeMember == "":
			t.CodeMember = DefaultCodeMember
		}
		uris[t.URI] = true
		name := pascalCase(t.Code)
		if name == "" {
			last := t.URI
			if i := strings.LastIndexAny(last, "/#:"); i >= 0 {
				last = last[i+1:]
			}
			name = pascalCase(strings.NewReplacer("-", " ", "_", " ").Replace(last))
		}
		types = append(types, openapiType{Type: t, name: name, index: -1})
	}
	return types, nil
}

// openapiGen holds what the parts of one document share.
type openapiGen struct {
	cat        *Catalog
	opts       OpenAPIOptions
	langs      []language.Tag
	taken      map[string]bool // schema names
	marker     object
	problemRef object
	inputRef   object
}

// name returns a schema name, with the prefix, for base, unique in the
// document: base, else base followed by fallback, else that with "_2",
// "_3", ... appended. Response names follow schema names, so they are
// unique too.
func (g *openapiGen) name(base, fallback string) string {
	name := g.opts.Prefix + base
	if base == "" || g.taken[name] {
		name += fallback
	}
	for stem, n := name, 2; g.taken[name]; n++ {
		name = stem + "_" + strconv.Itoa(n)
	}
	g.taken[name] = true
	return name
}

func (g *openapiGen) problemSchema() object {
	str := func(description string, format string) object {
		o := object{{"type", "string"}}
		if format != "" {
			o = append(o, member{"format", format})
		}
		return append(o, member{"description", description})
	}
	typ := str("A URI reference that identifies the problem type.", "uri-reference")
	typ = append(typ, member{"default", aboutBlank})
	return object{
		{"type", "object"},
		{"description", "Problem Details for HTTP APIs (RFC 9457). Members other than these are extensions."},
		{"properties", object{
			{"type", typ},
			{"title", str("A short, human-readable summary of the problem type.", "")},
			{"status", object{
				{"type", "integer"}, {"minimum", 100}, {"maximum", 599},
				{"description", "The HTTP status code generated by the origin server for this occurrence of the problem."},
			}},
			{"detail", str("A human-readable explanation specific to this occurrence of the problem.", "")},
			{"instance", str("A URI reference that identifies the specific occurrence of the problem.", "uri-reference")},
		}},
		{"xml", object{{"name", "problem"}, {"namespace", xmlNamespace}}},
		{OpenAPIMarker, g.marker},
	}
}

// inputErrorSchema describes an item of the "errors" member as package
// problem writes it (problem.InputError).
func (g *openapiGen) inputErrorSchema() object {
	str := func(description string) object { return object{{"type", "string"}, {"description", description}} }
	return object{
		{"type", "object"},
		{"description", "One error in the request's input (RFC 9457 §3): what is wrong, and where."},
		{"properties", object{
			{"detail", str("What is wrong, for people.")},
			{"pointer", str(`A JSON Pointer (RFC 6901) to the value in the request content, in URI fragment form: "#/profile/color".`)},
			{"parameter", str("The name of the query, path or form parameter.")},
			{"header", str("The name of the request header field.")},
			{"rule", str(`The check that failed, for machines: "min", "required".`)},
			{"param", str(`The rule's parameter: "3" for min=3.`)},
			{"value", object{{"description", "The rejected value, where the service echoes it."}}},
		}},
		{"required", []string{"detail"}},
		{OpenAPIMarker, g.marker},
	}
}

// statusSchema describes problems of type about:blank with e's status.
func (g *openapiGen) statusSchema(e Entry) object {
	props := object{{"type", object{{"const", aboutBlank}}}, {"status", object{{"const", e.Code}}}}
	if e.Code == 400 || e.Code == 422 {
		props = append(props, member{"errors", g.errorsMember()})
	}
	description := strconv.Itoa(e.Code) + " " + e.Phrase + " (about:blank)"
	if e.Description != "" {
		description += ": " + e.Description
	}
	return g.schema(description, props, nil)
}

// typeSchema describes problems of type t.
func (g *openapiGen) typeSchema(t openapiType, inputErrors bool) object {
	props := object{{"type", object{{"const", t.URI}}}, {"status", object{{"const", t.Status}}}}
	var required []string
	if t.Code != "" {
		props = append(props, member{t.CodeMember, object{{"const", t.Code}, {"description", "The error code."}}})
		required = append(required, t.CodeMember)
	}
	for _, name := range t.Members {
		if !slices.ContainsFunc(props, func(m member) bool { return m.name == name }) {
			props = append(props, member{name, openapiMember(name)})
		}
	}
	if inputErrors && !slices.ContainsFunc(props, func(m member) bool { return m.name == "errors" }) {
		props = append(props, member{"errors", g.errorsMember()})
	}
	description := t.Title
	if t.Code != "" {
		description = t.Code + ": " + description
	}
	if t.Description != "" {
		description += ". " + t.Description
	}
	return g.schema(description, props, required)
}

// schema is the schema of problems of one type and status: the Problem
// schema with props, the type's own members, and the members every problem
// the service sends has (type, title and status), required.
func (g *openapiGen) schema(description string, props object, required []string) object {
	for _, name := range g.opts.Extensions {
		if !slices.ContainsFunc(props, func(m member) bool { return m.name == name }) {
			props = append(props, member{name, object{}})
		}
	}
	s := object{
		{"description", description},
		{"allOf", []any{g.problemRef}},
	}
	if g.opts.Closed {
		// additionalProperties sees only the properties beside it, so the
		// standard members are named here too.
		for _, name := range []string{"title", "detail", "instance"} {
			props = append(props, member{name, object{}})
		}
	}
	s = append(s,
		member{"properties", props},
		member{"required", append([]string{"type", "title", "status"}, required...)})
	if g.opts.Closed {
		s = append(s, member{"additionalProperties", false})
	}
	return append(s, member{OpenAPIMarker, g.marker})
}

func (g *openapiGen) errorsMember() object {
	return object{
		{"type", "array"},
		{"description", "The errors in the request's input, each with where it is."},
		{"items", g.inputRef},
	}
}

// openapiMember is the schema of an extension member a built-in type's
// definition documents.
func openapiMember(name string) object {
	entries := func(description string, members ...string) object {
		props := object{}
		for _, m := range members {
			props = append(props, member{m, object{{"type", "string"}}})
		}
		return object{
			{"type", "array"},
			{"description", description},
			{"items", object{{"type", "object"}, {"properties", props}}},
		}
	}
	switch name {
	case ViolatedPoliciesMember:
		return object{
			{"type", "array"},
			{"description", "The names of the quota policies the client's requests exceeded."},
			{"items", object{{"type", "string"}}},
		}
	case "unsupported-algorithms":
		return entries("The unsupported algorithms, each with the field that named it.", "algorithm", "header")
	case "invalid-digests":
		return entries("The invalid digests, each with its algorithm, field and why it is invalid.", "algorithm", "header", "reason")
	case "mismatched-digests":
		return entries("The digests that do not match the content, each with its algorithm and field.", "algorithm", "header")
	}
	return object{{"description", "An extension member of the problem type."}}
}

// statusExamples gives an example of an about:blank problem with e's
// status in each of the catalog's languages.
func (g *openapiGen) statusExamples(name string, e Entry) object {
	var out object
	for _, tag := range g.langs {
		title := g.cat.TitleIn(tag, e.Code)
		out = append(out, member{name + "-" + tag.String(), object{
			{"summary", title + " (" + tag.String() + ")"},
			{"value", object{{"type", aboutBlank}, {"title", title}, {"status", e.Code}}},
		}})
	}
	return out
}

// typeExamples gives an example of a problem of type t in each of the
// catalog's languages.
func (g *openapiGen) typeExamples(name string, t openapiType) object {
	var out object
	for _, tag := range g.langs {
		title := t.Title
		if t.index >= 0 {
			title = g.cat.typeIn(tag, t.index).Title
		}
		value := object{{"type", t.URI}, {"title", title}, {"status", t.Status}}
		if t.Code != "" {
			value = append(value, member{t.CodeMember, t.Code})
		}
		out = append(out, member{name + "-" + tag.String(), object{
			{"summary", title + " (" + tag.String() + ")"},
			{"value", value},
		}})
	}
	return out
}

// response is the response for status e, whose problems refs describe.
func (g *openapiGen) response(e Entry, retry bool, refs []any, examples object) object {
	description := strconv.Itoa(e.Code) + " " + e.Phrase
	if e.Description != "" {
		description += ": " + e.Description
	}
	if g := e.RetryGuidance(); g != "" {
		description += " Retry: " + g + "."
	}
	resp := object{{"description", description}}
	if h := g.headers(e, retry); len(h) > 0 {
		resp = append(resp, member{"headers", h})
	}
	var schema any = refs[0]
	if len(refs) > 1 {
		schema = object{{"oneOf", refs}}
	}
	return append(resp,
		member{"content", object{
			{"application/problem+json", object{{"schema", schema}, {"examples", examples}}},
			{"application/problem+xml", object{{"schema", g.problemRef}}},
		}},
		member{OpenAPIMarker, g.marker})
}

func (g *openapiGen) headers(e Entry, retry bool) object {
	header := func(description string, required bool, schema object) object {
		o := object{{"description", description}}
		if required {
			o = append(o, member{"required", true})
		}
		return append(o, member{"schema", schema})
	}
	str := object{{"type", "string"}}
	var h object
	switch e.Code {
	case 401:
		h = append(h, member{"WWW-Authenticate", header("The challenges the client can answer to authenticate.", true, str)})
	case 405:
		h = append(h, member{"Allow", header("The methods the resource supports.", true, str)})
	case 407:
		h = append(h, member{"Proxy-Authenticate", header("The challenges the client can answer to authenticate with the proxy.", true, str)})
	}
	if retry {
		h = append(h, member{"Retry-After", header("Seconds to wait, or the date after which to repeat the request.", false, str)})
	}
	if len(e.QuotaPolicies) > 0 {
		names := make([]string, len(e.QuotaPolicies))
		for i, p := range e.QuotaPolicies {
			names[i] = p.Name
		}
		h = append(h, member{"RateLimit-Policy", header("The quota policies (draft-ietf-httpapi-ratelimit-headers): "+strings.Join(names, ", ")+".", false, str)})
	}
	if len(g.langs) > 1 {
		tags := make([]string, len(g.langs))
		for i, tag := range g.langs {
			tags[i] = tag.String()
		}
		h = append(h, member{"Content-Language", header("The language of the title, negotiated by Accept-Language.", true,
			object{{"type", "string"}, {"enum", tags}})})
	}
	return h
}

// openapiAddPolicies returns to, a status's quota policies, with those of
// more that it does not name yet: the policies a response with the status
// may advertise, its types' among them.
func openapiAddPolicies(to, more []QuotaPolicy) []QuotaPolicy {
	for _, p := range more {
		if !slices.ContainsFunc(to, func(q QuotaPolicy) bool { return q.Name == p.Name }) {
			to = append(to, p)
		}
	}
	return to
}

// pascalCase turns a phrase into a component name: "Content Too Large" is
// ContentTooLarge, "TooManyRequests" stays. Characters OpenAPI does not allow
// in names are left out.
func pascalCase(phrase string) string {
	var b strings.Builder
	upper := true
	for _, r := range phrase {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// openapiName reports whether s may be part of a component name
// (OpenAPI 3.1 §4.8.7: ^[a-zA-Z0-9\.\-_]+$).
func openapiName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// MergeOpenAPI merges the components [Catalog.OpenAPI] gives for opts into
// doc, an OpenAPI 3.1 document in JSON, and returns the merged document,
// indented by two spaces. Everything else in doc is kept, in its order: a
// schema or response of its own beside the catalog's stays as it is.
//
// A component the catalog writes replaces one of the same name only when
// that one carries [OpenAPIMarker] with the same prefix: one an earlier
// merge wrote. Merging again after the catalog changed thus updates the
// document, and removes the components of the same prefix the catalog no
// longer writes; when the rest of the document still refers to one of
// those ($ref), MergeOpenAPI refuses, and the error names each $ref and
// the component (catalog: OpenAPI: /paths/~1parcels/get/responses/429
// refers to components/responses/TooManyRequests, which ...). Any other component of the same name is the document's
// own, and MergeOpenAPI refuses to overwrite it: the error names each such
// component (catalog: OpenAPI: components/schemas/Problem is the
// document's own ...); choose a Prefix that keeps the names apart.
//
// doc must be a JSON object whose "openapi" is 3.1 or later (the schemas
// use JSON Schema 2020-12, which 3.0 does not have), with no member
// repeated in the objects merged into.
func (c *Catalog) MergeOpenAPI(doc []byte, opts *OpenAPIOptions) ([]byte, error) {
	ours, err := c.openapiDocument(opts)
	if err != nil {
		return nil, err
	}
	prefix := ""
	if opts != nil {
		prefix = opts.Prefix
	}
	top, err := openapiDecode(doc, "the document")
	if err != nil {
		return nil, err
	}
	version, ok := top.get("openapi")
	var v string
	if !ok || json.Unmarshal(version.(json.RawMessage), &v) != nil {
		return nil, errors.New(`catalog: OpenAPI: the document has no "openapi" version`)
	}
	if !openapi31(v) {
		return nil, fmt.Errorf("catalog: OpenAPI: the document is OpenAPI %q; the components need 3.1 or later", v)
	}

	components := object{}
	if raw, ok := top.get("components"); ok {
		if components, err = openapiDecode(raw.(json.RawMessage), "components"); err != nil {
			return nil, err
		}
	}
	oursComponents, _ := ours.get("components")
	var conflicts, dropped []string
	for _, kind := range []string{"schemas", "responses"} {
		section := object{}
		if raw, ok := components.get(kind); ok {
			if section, err = openapiDecode(raw.(json.RawMessage), "components/"+kind); err != nil {
				return nil, err
			}
		}
		written, _ := oursComponents.(object).get(kind)
		wanted := map[string]bool{}
		for _, m := range written.(object) {
			wanted[m.name] = true
		}
		// Drop what an earlier merge wrote and the catalog no longer
		// writes; refuse to replace what the document wrote.
		kept := section[:0:0]
		for _, m := range section {
			mine := openapiMarked(m.value.(json.RawMessage), prefix)
			switch {
			case mine && !wanted[m.name]:
				dropped = append(dropped, "components/"+kind+"/"+m.name)
				continue
			case !mine && wanted[m.name]:
				conflicts = append(conflicts, "components/"+kind+"/"+m.name)
			}
			kept = append(kept, m)
		}
		for _, m := range written.(object) {
			if i := slices.IndexFunc(kept, func(k member) bool { return k.name == m.name }); i >= 0 {
				kept[i].value = m.value
			} else {
				kept = append(kept, m)
			}
		}
		components = components.set(kind, kept)
	}
	if len(conflicts) > 0 {
		return nil, fmt.Errorf("catalog: OpenAPI: %s the document's own (it has no %s member of prefix %q), and the catalog's would overwrite it; set OpenAPIOptions.Prefix to keep the names apart",
			openapiList(conflicts), OpenAPIMarker, prefix)
	}
	out, err := openapiIndent(top.set("components", components))
	if err != nil || len(dropped) == 0 {
		return out, err
	}
	if refs := openapiDangling(out, dropped); len(refs) > 0 {
		return nil, fmt.Errorf("catalog: OpenAPI: %s, which the catalog no longer writes; remove the reference, or keep what it refers to in the catalog",
			strings.Join(refs, ", "))
	}
	return out, nil
}

// openapiDangling returns, sorted, each place where doc has a local $ref
// to or into one of the removed components ("components/responses/X"):
// "/paths/~1a/get/responses/429 refers to components/responses/X".
func openapiDangling(doc []byte, removed []string) []string {
	var root any
	if json.Unmarshal(doc, &root) != nil {
		return nil // doc is what openapiIndent just wrote
	}
	var out []string
	var walk func(node any, at string)
	walk = func(node any, at string) {
		switch n := node.(type) {
		case map[string]any:
			if ref, ok := n["$ref"].(string); ok {
				if target, ok := openapiRefTarget(ref, removed); ok {
					out = append(out, at+" refers to "+target)
				}
			}
			for k, v := range n {
				walk(v, at+"/"+strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1"))
			}
		case []any:
			for i, v := range n {
				walk(v, at+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(root, "")
	slices.Sort(out)
	return out
}

// openapiRefTarget returns the component of removed that the local
// reference ref points to or into.
func openapiRefTarget(ref string, removed []string) (string, bool) {
	fragment, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return "", false
	}
	if f, err := url.PathUnescape(fragment); err == nil {
		fragment = f
	}
	for _, c := range removed {
		if rest, ok := strings.CutPrefix(fragment, c); ok && (rest == "" || rest[0] == '/') {
			return c, true
		}
	}
	return "", false
}

// openapiList names the components of a conflict: "X is", "X and Y are".
func openapiList(names []string) string {
	if len(names) == 1 {
		return names[0] + " is"
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " are"
}

// openapi31 reports whether version is an OpenAPI version of 3.1 or later.
func openapi31(version string) bool {
	major, rest, _ := strings.Cut(version, ".")
	minor, _, _ := strings.Cut(rest, ".")
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	return err1 == nil && err2 == nil && (ma > 3 || ma == 3 && mi >= 1)
}

// openapiMarked reports whether the component raw carries OpenAPIMarker
// with prefix.
func openapiMarked(raw json.RawMessage, prefix string) bool {
	var c map[string]json.RawMessage
	if json.Unmarshal(raw, &c) != nil {
		return false
	}
	var marker struct {
		Prefix *string `json:"prefix"`
	}
	m, ok := c[OpenAPIMarker]
	return ok && json.Unmarshal(m, &marker) == nil && marker.Prefix != nil && *marker.Prefix == prefix
}

// openapiDecode decodes the JSON object raw into its members, in order,
// each value kept as a json.RawMessage. what names it in errors.
func openapiDecode(raw json.RawMessage, what string) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("catalog: OpenAPI: %s is not a JSON object", what)
	}
	fail := func(err error) error {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("catalog: OpenAPI: %s: %w", what, err)
	}
	o := object{}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail(err)
		}
		name := tok.(string)
		if seen[name] {
			return nil, fmt.Errorf("catalog: OpenAPI: %s holds %q more than once", what, name)
		}
		seen[name] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fail(err)
		}
		o = append(o, member{name, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("catalog: OpenAPI: %s has data after its object", what)
	}
	return o, nil
}

// openapiIndent encodes doc indented by two spaces, with a final newline.
func openapiIndent(doc object) ([]byte, error) {
	data, err := doc.appendJSON(nil)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// object is a JSON object whose members keep their order.
type object []member

type member struct {
	name  string
	value any
}

// get returns the value of the member name.
func (o object) get(name string) (any, bool) {
	for _, m := range o {
		if m.name == name {
			return m.value, true
		}
	}
	return nil, false
}

// set returns o with the member name set to value, in its place, or
// appended.
func (o object) set(name string, value any) object {
	for i, m := range o {
		if m.name == name {
			o[i].value = value
			return o
		}
	}
	return append(o, member{name, value})
}

// MarshalJSON implements [json.Marshaler].
func (o object) MarshalJSON() ([]byte, error) { return o.appendJSON(nil) }

// appendJSON appends o to b. Raw values are copied as they are and strings
// are not HTML-escaped, so that a merged document keeps its texts.
func (o object) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	for i, m := range o {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = openapiAppendValue(b, m.name); err != nil {
			return nil, err
		}
		b = append(b, ':')
		if b, err = openapiAppendValue(b, m.value); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func openapiAppendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case object:
		return v.appendJSON(b)
	case json.RawMessage:
		return append(b, v...), nil
	case []any:
		b = append(b, '[')
		for i, item := range v {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = openapiAppendValue(b, item); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...), nil
}
