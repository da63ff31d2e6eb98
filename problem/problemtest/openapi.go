package problemtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Spec is an OpenAPI 3.x document, parsed once by [ParseSpec], that
// [Described] checks responses against. It is not changed after
// ParseSpec, and is safe for concurrent use.
type Spec struct {
	root      any
	paths     map[string]any
	templates []openapiTemplate // the templated paths, for openapiFindPath
	servers   []string          // the paths of the server URLs, such as "/v1"
}

// openapiTemplate is a templated path of the document ("/parcels/{id}"),
// split into segments: nil where a segment is literal.
type openapiTemplate struct {
	template string
	literal  []string
	pattern  []*regexp.Regexp
	literals int // how many segments are literal
}

// ParseSpec parses doc, an OpenAPI 3.x document in JSON (such as one
// that catalog.MergeOpenAPI made), for [Described]. It returns an error
// when doc is not JSON, not an object, has no "openapi" version 3.x, or
// has "paths" that is not an object. $refs are not followed until a
// response needs them, so that a broken one is reported with the
// response it breaks.
func ParseSpec(doc []byte) (*Spec, error) {
	var root any
	if err := json.Unmarshal(doc, &root); err != nil {
		return nil, fmt.Errorf("problemtest: ParseSpec: the document is not JSON: %w", err)
	}
	rootObj, ok := root.(map[string]any)
	if !ok {
		return nil, errors.New("problemtest: ParseSpec: the document is not a JSON object")
	}
	if v, _ := rootObj["openapi"].(string); !strings.HasPrefix(v, "3.") {
		return nil, fmt.Errorf("problemtest: ParseSpec: the document's \"openapi\" is %s, not a version 3.x", openapiJSON(rootObj["openapi"]))
	}
	paths, ok := rootObj["paths"].(map[string]any)
	if _, present := rootObj["paths"]; present && !ok {
		return nil, errors.New(`problemtest: ParseSpec: the document's "paths" is not an object`)
	}
	s := &Spec{root: root, paths: paths, servers: openapiServerPaths(rootObj)}
	for template := range paths {
		if !strings.Contains(template, "{") {
			continue
		}
		t := openapiTemplate{template: template}
		for _, part := range strings.Split(template, "/") {
			if strings.Contains(part, "{") {
				t.literal = append(t.literal, "")
				t.pattern = append(t.pattern, openapiSegment(part))
				continue
			}
			t.literal = append(t.literal, part)
			t.pattern = append(t.pattern, nil)
			t.literals++
		}
		s.templates = append(s.templates, t)
	}
	// The most literal segments first, then by name: the first match is
	// the one to take.
	slices.SortFunc(s.templates, func(a, b openapiTemplate) int {
		if a.literals != b.literals {
			return b.literals - a.literals
		}
		return strings.Compare(a.template, b.template)
	})
	return s, nil
}

// Described reports whether r, the response to req, is one that spec
// describes, and fails t when it is not, with one t.Errorf that shows
// what is undocumented. It takes the method and the path from req (the
// query is ignored); a nil req means r's own Request, which an
// [http.Client] sets on the response it returns. An
// [httptest.ResponseRecorder] has no request: pass the one the handler
// served. It checks:
//
//   - the operation: a path of spec (templates such as /parcels/{id}
//     match a segment; a concrete path is preferred to a template; the
//     path of a server URL may prefix it) with the method;
//   - its status: the operation's response for the code, else for its
//     range ("4XX"), else "default";
//   - the headers that response marks required;
//   - the content type, matched exactly, then as "type/*", then "*/*";
//   - for JSON content (application/json and any +json type, such as
//     application/problem+json), the body against the schema: its problem
//     type (the "type" member, against the const of each schema of a
//     oneOf or anyOf), the members the schema requires, members it
//     forbids (additionalProperties false), and const, enum, type, items,
//     minimum and maximum.
//
// A response to HEAD has no body to check. Local $refs
// (#/components/...) are resolved; beside the $ref of an object other
// than a schema, summary and description override the target's, as
// OpenAPI 3.1 has it; a $ref to another document is reported as
// unresolvable. Described reads at most [MaxBody] bytes (a larger body
// fails t), and does not consume the body (see [Check]). It uses only the
// standard library, so that a service's tests can check that its
// responses have not drifted from its spec.
func Described[R Response](t testing.TB, spec *Spec, req *http.Request, r R) bool {
	t.Helper()
	if spec == nil {
		t.Errorf("problemtest.Described: nil *Spec (see ParseSpec)")
		return false
	}
	if req == nil {
		if resp, ok := any(r).(*http.Response); ok && resp != nil {
			req = resp.Request
		}
	}
	if req == nil || req.URL == nil {
		t.Errorf("problemtest.Described: no request to take the method and path from: pass the one the response answers (a recorder, or a response made by hand, has none)")
		return false
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	what := method + " " + req.URL.Path
	s, err := ptSnap(r)
	if err != nil {
		t.Errorf("problemtest.Described: %s: %v", what, err)
		return false
	}
	problems := spec.describe(method, req.URL.Path, s)
	if len(problems) == 0 {
		return true
	}
	t.Errorf("problemtest.Described: %s -> %d is not described by the document:\n\t%s", what, s.code, strings.Join(problems, "\n\t"))
	return false
}

// describe returns what the document does not describe of the response
// s to method and path, one line each; none when it describes it.
func (spec *Spec) describe(method, path string, s *ptSnapshot) []string {
	v := &openapiValidator{root: spec.root}
	template, item := spec.findPath(path)
	if item == nil {
		for _, prefix := range spec.servers {
			if rest, ok := strings.CutPrefix(path, prefix); ok && strings.HasPrefix(rest, "/") {
				if template, item = spec.findPath(rest); item != nil {
					break
				}
			}
		}
	}
	if item == nil {
		return []string{fmt.Sprintf("no path of the document matches %q (it has %s)", path, openapiKeys(spec.paths))}
	}
	itemObj, err := v.resolveObject(item)
	if err != nil {
		return []string{fmt.Sprintf("path %s: %v", template, err)}
	}
	op, ok := itemObj[strings.ToLower(method)].(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("path %s has no %s operation", template, strings.ToUpper(method))}
	}
	responses, _ := op["responses"].(map[string]any)
	code := strconv.Itoa(s.code)
	key := code
	response, ok := responses[key]
	if !ok {
		key = code[:1] + "XX"
		for k, r := range responses {
			if strings.EqualFold(k, key) {
				key, response, ok = k, r, true
			}
		}
	}
	if !ok {
		key = "default"
		response, ok = responses[key]
	}
	where := fmt.Sprintf("%s %s", strings.ToUpper(method), template)
	if !ok {
		return []string{fmt.Sprintf("status %d: %s describes no response for it, its range or default (it describes %s)", s.code, where, openapiKeys(responses))}
	}
	where += " response " + key
	respObj, err := v.resolveObject(response)
	if err != nil {
		return []string{where + ": " + err.Error()}
	}

	var problems []string
	headers, _ := respObj["headers"].(map[string]any)
	for _, name := range slices.Sorted(openapiMapKeys(headers)) {
		h, err := v.resolveObject(headers[name])
		if err != nil {
			problems = append(problems, fmt.Sprintf("header %s: %v", name, err))
			continue
		}
		if required, _ := h["required"].(bool); required && len(s.header.Values(name)) == 0 {
			problems = append(problems, fmt.Sprintf("header %s: %s requires it, and the response has none", name, where))
		}
	}

	body := s.body
	content, _ := respObj["content"].(map[string]any)
	if len(content) == 0 {
		if len(body) > 0 {
			problems = append(problems, fmt.Sprintf("body: %s describes no content, and the response has %d bytes", where, len(body)))
		}
		return problems
	}
	mediaType, _, err := mime.ParseMediaType(s.header.Get("Content-Type"))
	if err != nil {
		return append(problems, fmt.Sprintf("Content-Type %q: %v (%s describes %s)", s.header.Get("Content-Type"), err, where, openapiKeys(content)))
	}
	media, ok := content[mediaType]
	if !ok {
		main, _, _ := strings.Cut(mediaType, "/")
		if media, ok = content[main+"/*"]; !ok {
			media, ok = content["*/*"]
		}
	}
	if !ok {
		return append(problems, fmt.Sprintf("Content-Type %s: %s describes %s", mediaType, where, openapiKeys(content)))
	}
	mediaObj, err := v.resolveObject(media)
	if err != nil {
		return append(problems, fmt.Sprintf("Content-Type %s: %s: %v", mediaType, where, err))
	}
	schema, hasSchema := mediaObj["schema"]
	if !hasSchema || !(mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")) || strings.EqualFold(method, http.MethodHead) {
		return problems
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return append(problems, fmt.Sprintf("body: not the JSON %s says: %v", mediaType, err))
	}
	for _, p := range v.validate(schema, value, "") {
		if !strings.HasPrefix(p, "  ") { // the lines of a branch of oneOf say which branch
			p = "body" + p
		}
		problems = append(problems, p)
	}
	return problems
}

// findPath returns the path of the document that matches path, and its
// path item: an exact match, else the template with the most literal
// segments (the first by name among as many).
func (spec *Spec) findPath(path string) (string, any) {
	if item, ok := spec.paths[path]; ok {
		return path, item
	}
	segments := strings.Split(path, "/")
	for _, t := range spec.templates {
		if len(t.literal) != len(segments) {
			continue
		}
		matched := true
		for i, seg := range segments {
			if p := t.pattern[i]; p == nil && t.literal[i] != seg || p != nil && !p.MatchString(seg) {
				matched = false
				break
			}
		}
		if matched {
			return t.template, spec.paths[t.template]
		}
	}
	return "", nil
}

var openapiParam = regexp.MustCompile(`\{[^{}/]*\}`)

// openapiSegment turns a templated path segment ("{id}", "{name}.{ext}")
// into a regular expression that matches the segments it stands for.
func openapiSegment(part string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range openapiParam.FindAllStringIndex(part, -1) {
		b.WriteString(regexp.QuoteMeta(part[last:loc[0]]))
		b.WriteString("[^/]+")
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(part[last:]))
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// openapiServerPaths returns the paths of the document's server URLs
// ("/v1" of "https://api.example.com/v1").
func openapiServerPaths(root map[string]any) []string {
	servers, _ := root["servers"].([]any)
	var out []string
	for _, s := range servers {
		server, _ := s.(map[string]any)
		raw, _ := server["url"].(string)
		if u, err := url.Parse(raw); err == nil && strings.TrimSuffix(u.Path, "/") != "" {
			out = append(out, strings.TrimSuffix(u.Path, "/"))
		}
	}
	return out
}

func openapiMapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// openapiKeys lists the keys of m, sorted, for messages.
func openapiKeys(m map[string]any) string {
	if len(m) == 0 {
		return "none"
	}
	return strings.Join(slices.Sorted(openapiMapKeys(m)), ", ")
}

// openapiValidator checks values against the schemas of one document.
type openapiValidator struct {
	root  any
	depth int
}

// resolve follows the local $ref of the Schema Object node, if it has
// one, to what it refers to. A $ref beside other keywords (JSON Schema
// 2020-12, as OpenAPI 3.1 has it) applies both: it becomes an allOf.
func (v *openapiValidator) resolve(node any) (any, error) {
	for range 32 {
		obj, ok := node.(map[string]any)
		if !ok {
			return node, nil
		}
		ref, ok := obj["$ref"].(string)
		if !ok {
			return node, nil
		}
		target, err := v.pointer(ref)
		if err != nil {
			return nil, err
		}
		if len(obj) == 1 {
			node = target
			continue
		}
		// A $ref beside other keywords (OpenAPI 3.1) applies both.
		rest := make(map[string]any, len(obj))
		for k, val := range obj {
			if k != "$ref" {
				rest[k] = val
			}
		}
		return map[string]any{"allOf": []any{target, rest}}, nil
	}
	return nil, fmt.Errorf("$refs nest too deep")
}

// resolveObject follows the local $refs of node, an object other than a
// Schema Object (a path item, a response, a header, a media type), to the
// object they refer to. There a $ref is a Reference Object (OpenAPI 3.1
// §4.8.23): a summary or description beside it overrides the target's,
// the one nearest the start winning, and anything else beside it is
// ignored.
func (v *openapiValidator) resolveObject(node any) (map[string]any, error) {
	var override map[string]any
	for range 32 {
		obj, ok := node.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("not an object")
		}
		ref, ok := obj["$ref"].(string)
		if !ok {
			if len(override) == 0 {
				return obj, nil
			}
			out := make(map[string]any, len(obj)+len(override))
			for k, val := range obj {
				out[k] = val
			}
			for k, val := range override {
				out[k] = val
			}
			return out, nil
		}
		for _, k := range []string{"summary", "description"} {
			if val, ok := obj[k]; ok {
				if _, set := override[k]; !set {
					if override == nil {
						override = make(map[string]any, 2)
					}
					override[k] = val
				}
			}
		}
		target, err := v.pointer(ref)
		if err != nil {
			return nil, err
		}
		node = target
	}
	return nil, fmt.Errorf("$refs nest too deep")
}

// pointer returns what the local reference ref ("#/components/schemas/X")
// points to in the document.
func (v *openapiValidator) pointer(ref string) (any, error) {
	fragment, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, fmt.Errorf("$ref %q is not local to the document, and cannot be resolved", ref)
	}
	if f, err := url.PathUnescape(fragment); err == nil {
		fragment = f
	}
	node := v.root
	if fragment == "" {
		return node, nil
	}
	if !strings.HasPrefix(fragment, "/") {
		return nil, fmt.Errorf("$ref %q is not a JSON Pointer", ref)
	}
	for _, token := range strings.Split(fragment[1:], "/") {
		token = strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
		switch n := node.(type) {
		case map[string]any:
			next, ok := n[token]
			if !ok {
				return nil, fmt.Errorf("$ref %q points to nothing in the document", ref)
			}
			node = next
		case []any:
			i, err := strconv.Atoi(token)
			if err != nil || i < 0 || i >= len(n) {
				return nil, fmt.Errorf("$ref %q points to nothing in the document", ref)
			}
			node = n[i]
		default:
			return nil, fmt.Errorf("$ref %q points to nothing in the document", ref)
		}
	}
	return node, nil
}

// validate checks value, at the JSON Pointer at, against schema, and
// returns a line for each way it fails, starting with where.
func (v *openapiValidator) validate(schema, value any, at string) []string {
	if v.depth > 64 {
		return []string{at + ": the schema nests too deep"}
	}
	v.depth++
	defer func() { v.depth-- }()
	here := "" // the lines start with where: " at /errors/0: ...", or ": ..." for the body itself
	if at != "" {
		here = " at " + at
	}
	schema, err := v.resolve(schema)
	if err != nil {
		return []string{here + ": " + err.Error()}
	}
	switch s := schema.(type) {
	case bool:
		if !s {
			return []string{here + ": the schema allows nothing here"}
		}
		return nil
	case map[string]any:
		return v.validateObject(s, value, at, here)
	}
	return nil
}

func (v *openapiValidator) validateObject(s map[string]any, value any, at, here string) []string {
	var out []string
	if c, ok := s["const"]; ok && !reflect.DeepEqual(c, value) {
		out = append(out, fmt.Sprintf("%s: %s, where the document has %s", here, openapiJSON(value), openapiJSON(c)))
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return reflect.DeepEqual(e, value) }) {
		out = append(out, fmt.Sprintf("%s: %s is none of %s", here, openapiJSON(value), openapiJSON(enum)))
	}
	if t, ok := s["type"]; ok && !openapiTypeMatches(t, value) {
		out = append(out, fmt.Sprintf("%s: %s is not of type %s", here, openapiJSON(value), openapiJSON(t)))
	}
	if n, ok := value.(float64); ok {
		if min, ok := s["minimum"].(float64); ok && n < min {
			out = append(out, fmt.Sprintf("%s: %v is less than the minimum %v", here, n, min))
		}
		if max, ok := s["maximum"].(float64); ok && n > max {
			out = append(out, fmt.Sprintf("%s: %v is more than the maximum %v", here, n, max))
		}
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			out = append(out, v.validate(sub, value, at)...)
		}
	}
	for _, kw := range []string{"oneOf", "anyOf"} {
		if branches, ok := s[kw].([]any); ok {
			out = append(out, v.validateBranches(kw, branches, value, at, here)...)
		}
	}
	if obj, ok := value.(map[string]any); ok {
		out = append(out, v.validateMembers(s, obj, at, here)...)
	}
	if arr, ok := value.([]any); ok {
		if items, ok := s["items"]; ok {
			for i, item := range arr {
				out = append(out, v.validate(items, item, at+"/"+strconv.Itoa(i))...)
			}
		}
	}
	return out
}

func (v *openapiValidator) validateMembers(s map[string]any, obj map[string]any, at, here string) []string {
	var out []string
	props, _ := s["properties"].(map[string]any)
	if required, ok := s["required"].([]any); ok {
		for _, r := range required {
			if name, ok := r.(string); ok {
				if _, present := obj[name]; !present {
					out = append(out, fmt.Sprintf("%s: member %q is required, and missing", here, name))
				}
			}
		}
	}
	for _, name := range slices.Sorted(openapiMapKeys(obj)) {
		member := at + "/" + strings.ReplaceAll(strings.ReplaceAll(name, "~", "~0"), "/", "~1")
		if sub, ok := props[name]; ok {
			out = append(out, v.validate(sub, obj[name], member)...)
			continue
		}
		switch extra := s["additionalProperties"].(type) {
		case bool:
			if !extra {
				out = append(out, fmt.Sprintf("%s: member %q is not one the schema allows (it allows %s)", here, name, openapiKeys(props)))
			}
		case map[string]any:
			out = append(out, v.validate(extra, obj[name], member)...)
		}
	}
	return out
}

// validateBranches checks value against the branches of a oneOf or anyOf.
// For a problem, whose branches are told apart by the const of their
// "type", it says whether the problem type is unknown, or what is wrong
// with the branch of its type.
func (v *openapiValidator) validateBranches(kw string, branches []any, value any, at, here string) []string {
	var matched int
	failures := make([][]string, len(branches))
	for i, b := range branches {
		if failures[i] = v.validate(b, value, at); len(failures[i]) == 0 {
			matched++
		}
	}
	switch {
	case matched == 1, matched > 1 && kw == "anyOf":
		return nil
	case matched > 1:
		return []string{fmt.Sprintf("%s: %s matches %d schemas of a oneOf, which needs exactly one", here, openapiJSON(value), matched)}
	}
	obj, _ := value.(map[string]any)
	typ, hasType := obj["type"]
	var known []string
	var ofType []int
	for i, b := range branches {
		c, ok := v.typeConst(b)
		if !ok {
			known = nil
			break
		}
		known = append(known, openapiJSON(c))
		if reflect.DeepEqual(c, typ) {
			ofType = append(ofType, i)
		}
	}
	if known != nil && hasType && len(ofType) == 0 {
		return []string{fmt.Sprintf("%s: problem type %s is not one the document describes here (it describes %s)", here, openapiJSON(typ), strings.Join(known, ", "))}
	}
	if len(ofType) == 0 {
		for i := range branches {
			ofType = append(ofType, i)
		}
	}
	out := []string{fmt.Sprintf("%s: %s matches none of the schemas of a %s:", here, openapiJSON(value), kw)}
	for _, i := range ofType {
		name := "schema " + strconv.Itoa(i)
		if b, ok := branches[i].(map[string]any); ok {
			if ref, ok := b["$ref"].(string); ok {
				name = ref
			}
		}
		for _, f := range failures[i] {
			out = append(out, "  "+name+f)
		}
	}
	return out
}

// typeConst returns the const a schema gives the member "type", through
// $refs and allOf.
func (v *openapiValidator) typeConst(schema any) (any, bool) {
	schema, err := v.resolve(schema)
	if err != nil {
		return nil, false
	}
	s, ok := schema.(map[string]any)
	if !ok {
		return nil, false
	}
	if props, ok := s["properties"].(map[string]any); ok {
		if t, ok := props["type"].(map[string]any); ok {
			if c, ok := t["const"]; ok {
				return c, true
			}
		}
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			if c, ok := v.typeConst(sub); ok {
				return c, true
			}
		}
	}
	return nil, false
}

// openapiTypeMatches reports whether value is of the JSON Schema type t, a
// name or a list of names.
func openapiTypeMatches(t, value any) bool {
	var names []any
	switch t := t.(type) {
	case string:
		names = []any{t}
	case []any:
		names = t
	default:
		return true
	}
	for _, n := range names {
		switch n {
		case "object":
			if _, ok := value.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := value.([]any); ok {
				return true
			}
		case "string":
			if _, ok := value.(string); ok {
				return true
			}
		case "number":
			if _, ok := value.(float64); ok {
				return true
			}
		case "integer":
			if f, ok := value.(float64); ok && f == float64(int64(f)) {
				return true
			}
		case "boolean":
			if _, ok := value.(bool); ok {
				return true
			}
		case "null":
			if value == nil {
				return true
			}
		}
	}
	return false
}

// openapiJSON writes v as JSON for messages.
func openapiJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
