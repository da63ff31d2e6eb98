package problemvalidator

import (
	"encoding"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/problemkit/problemkit/problem"
)

// KeyToken stands for a map key in pointers and in the field names of
// translated details, when the Validator does not expose values: map keys
// come from the request, as values do. "#/tags/*" is the pointer to an
// entry of "tags" that failed, and "#/m/*/city" to the city of one; "*"
// is a valid pointer token that names no entry of its own, unless a
// client sends a key "*".
//
// validator writes map keys into its namespaces as they are, so a key
// holding "]." or "][" reads as a shorter key followed by more. Validate
// reads each key as the validated types have it; where they fit more than
// one reading ("m[a][b][c]" of a map of maps), the first is taken, and
// where they fit none (or too many readings were tried), the pointer names
// the map's entry, with the key withheld, exposed or not: "#/m/*". So is a
// key that validator writes otherwise than encoding/json: one with a
// String method, or one encoding/json writes with MarshalText.
const KeyToken = "*"

// describe writes into item, but for its value, the item of a failed
// field: where it is (a JSON Pointer into the request content, or the name
// of the query, path or form parameter it was bound from), what its value
// must be, in Translator's language where it has a translation, else in
// English, and the rule that failed with its parameter. It returns the
// names of the field's map keys, for a translation into another language.
// root is the validated type, or nil when unknown.
func (v *Validator) describe(item *problem.InputError, fe validator.FieldError, root reflect.Type) keyNames {
	names := v.place(item, fe, root)
	if v.Translator != nil {
		if d, ok := translated(v.Translator, fe, names); ok {
			item.Detail = d
		}
	}
	return names
}

// place writes into item where a failed field is, its English message and
// its rule, and returns the names of its map keys (see keyNames).
//
// A struct namespace without indices or map keys names the same struct
// field every time, and a check of that field fails the same way every
// time: the item it gives is kept, so that a failure seen before costs one
// lookup and one copy. It holds no key, so its pointer is the same whether
// keys are withheld or not, and the cache cannot mix the two.
func (v *Validator) place(item *problem.InputError, fe validator.FieldError, root reflect.Type) keyNames {
	ns := fe.StructNamespace()
	if strings.IndexByte(ns, '[') >= 0 {
		var names keyNames
		item.Pointer, item.Parameter, names = findPlace(fe, root, !v.ExposeValues)
		item.Detail, item.Rule, item.Param = message(fe), fe.Tag(), fe.Param()
		return names
	}
	c := check{root: root, tagged: fe.Namespace(), tag: fe.Tag(), actual: fe.ActualTag(), param: fe.Param(), kind: sizeKind(fe)}
	if k := knownCheck(ns, &c); k != nil {
		// Member by member, not *item = k.item: that copies with a bulk
		// write barrier, which costs more while the GC runs.
		item.Detail, item.Pointer, item.Parameter, item.Rule, item.Param = k.item.Detail, k.item.Pointer, k.item.Parameter, k.item.Rule, k.item.Param
		return keyNames{} // no keys in the name to withhold
	}
	k := checked{check: c}
	k.item.Pointer, k.item.Parameter, _ = findPlace(fe, root, !v.ExposeValues)
	k.item.Detail, k.item.Rule, k.item.Param = message(fe), c.tag, c.param
	rememberCheck(ns, k)
	*item = k.item
	return keyNames{}
}

// check is what, beside its struct namespace, decides how a failed check of
// a field is reported: the validated type (pointers are found through it,
// or from the namespace when it is unknown), the namespace with the names
// clients send, and the rule, the one inside it for an alias (which two
// validators may define apart), its parameter and the kind of value, which
// decide the message.
type check struct {
	root               reflect.Type
	tagged             string
	tag, actual, param string
	kind               reflect.Kind
}

// checked is a check with the item it gives: its place, its English
// message and its rule, without a value.
type checked struct {
	check
	item problem.InputError
}

// checks holds, by struct namespace, the checks seen for it: usually one.
// Keyed by a string, a lookup hashes one short string and compares the
// rest, which costs less than hashing a composite key.
var checks = cache[string, []checked]{max: 2048}

// maxChecks bounds the checks kept for one struct namespace.
const maxChecks = 16

// knownCheck returns the check c of ns kept, or nil. What it points to is
// never written again: rememberCheck copies a list to add to it.
func knownCheck(ns string, c *check) *checked {
	list, _ := checks.get(ns)
	for i := range list {
		if list[i].check == *c {
			return &list[i]
		}
	}
	return nil
}

// rememberCheck keeps k for ns. The slice is copied, never appended to in
// place, since lookups read it without a lock. Two goroutines that add to
// the same namespace at once may keep only one of their checks; the other
// is made again next time.
func rememberCheck(ns string, k checked) {
	list, _ := checks.get(ns)
	if len(list) >= maxChecks {
		return
	}
	checks.add(ns, append(slices.Clip(list), k))
}

// keyNames is the part of a failed field's name, as FieldError.Field gives
// it, that holds its map keys ("[k]" of "tags[k]"): raw, and with each key
// withheld ("[*]"). Both are "" when no key was withheld.
type keyNames struct{ raw, withheld string }

// withholdIn returns text with the failed field's name, as in a
// translation, in its withheld form. field is FieldError.Field, which
// validator cuts to the last bytes of a name longer than 255 (it keeps the
// length in a byte): a field that is only the tail of its keys is all key,
// and withheld whole.
func (k keyNames) withholdIn(text, field string) string {
	if k.raw == "" {
		return text
	}
	name, ok := strings.CutSuffix(field, k.raw)
	if !ok {
		if field == "" || !strings.HasSuffix(k.raw, field) {
			return text
		}
		name = ""
	}
	return strings.ReplaceAll(text, field, name+k.withheld)
}

// withheldNames returns the keyNames of a field whose name ends in raw,
// its indices and keys, which are tokens in their withheld form.
func withheldNames(raw string, tokens []string) keyNames {
	return keyNames{raw: raw, withheld: "[" + strings.Join(tokens, "][") + "]"}
}

// findPlace returns where a failed field is: its pointer, or the
// parameter it was bound from, and the names of its map keys (see
// keyNames).
func findPlace(fe validator.FieldError, root reflect.Type, withhold bool) (pointer, parameter string, names keyNames) {
	var buf [8]string // room for the tokens of most pointers, on the stack
	if root != nil {
		sns := fe.StructNamespace()
		if tokens, param, names, ok := walkTypes(tokenRoom(buf[:0], sns), root, sns, withhold); ok {
			if param != "" {
				return "", param, keyNames{}
			}
			if tokens == nil {
				return "", "", keyNames{} // a field clients cannot send (json:"-")
			}
			return problem.Pointer(tokens...), "", names
		}
	}
	ns := fe.Namespace()
	tokens, names := namespaceTokens(tokenRoom(buf[:0], ns), ns, fe.StructNamespace(), withhold)
	return problem.Pointer(tokens...), "", names
}

// tokenRoom returns buf, or where ns has more segments and indices than
// buf has room for (input nested deep), a slice with room for them all,
// made once rather than grown.
func tokenRoom(buf []string, ns string) []string {
	if len(ns) <= cap(buf) { // fewer separators than buf has room for
		return buf
	}
	n := 1
	for i := 0; i < len(ns); i++ {
		if ns[i] == '.' || ns[i] == '[' {
			n++
		}
	}
	if n <= cap(buf) {
		return buf
	}
	return make([]string, 0, n)
}

// walkTypes follows a validator struct namespace ("User.Addresses[2].City",
// Go field names) through the Go types from root, and returns the JSON
// Pointer tokens encoding/json would use: json tag names, Go names for
// untagged fields, no token for an untagged embedded struct (encoding/json
// flattens it), array and slice indices, map keys (KeyToken with
// withhold), appended to tokens (which must not be nil), and the names of
// the last segment's keys. A top-level field
// without a json tag that is bound from a query, path or form parameter
// (tags query, param, form) is named as that parameter, and so is each of
// its values when it holds them (a slice). tokens is nil, with
// ok, for a field tagged json:"-" and for one encoding/json does not write
// as another field has its name (see writesField). ok is false when the
// namespace does not fit the types.
//
// validator writes map keys as they are, so a key holding "]." or "]["
// reads as a shorter key and more (see cutMapKey): a key is read as the
// first of its readings that leaves a namespace the types fit, and where
// none does (or too many were tried: the namespace is the client's to
// make), the pointer names the map's entry, with its key withheld, which
// holds what failed.
func walkTypes(tokens []string, root reflect.Type, ns string, withhold bool) (_ []string, param string, names keyNames, ok bool) {
	t := deref(root)
	if t.Kind() != reflect.Struct {
		return nil, "", keyNames{}, false
	}
	if t.Name() != "" {
		rest, found := strings.CutPrefix(ns, t.Name())
		if !found || (rest != "" && rest[0] != '.') {
			return nil, "", keyNames{}, false
		}
		ns = strings.TrimPrefix(rest, ".")
	}
	w := typeWalk{withhold: withhold, readings: maxKeyReadings}
	return walkFrom[outerWalk](&w, tokens, t, ns, 0, nil)
}

// maxKeyReadings bounds the readings of map keys a walk of one namespace
// tries (see walkTypes).
const maxKeyReadings = 16

// walkLevel tells apart the walk of a namespace from its start
// (outerWalk) and that of a reading of a map key (innerWalk), which calls
// itself for the keys in it: instances of walkFrom of their own, so that
// escape analysis, which cannot follow the recursion of the inner, lets
// the outer keep the tokens findPlace has on its stack.
type (
	walkLevel interface{ outerWalk | innerWalk }
	outerWalk struct{}
	innerWalk struct{ _ byte }
)

// typeWalk is the state of walkTypes that its readings of map keys share.
type typeWalk struct {
	withhold bool
	readings int  // left to try
	trying   bool // in a reading of a key: fail rather than name the entry
}

// keyed is where a walk is in the indices and map keys of a segment: the
// namespace from the segment's first "[", and the index in tokens of its
// first token.
type keyed struct {
	brackets string
	first    int
	withheld bool
}

// walkFrom walks ns, which is what follows a value of type t in the
// namespace: field names, and where in is not nil, first the rest of the
// indices and keys of the segment in describes. depth counts the field
// names walked before.
func walkFrom[_ walkLevel](w *typeWalk, tokens []string, t reflect.Type, ns string, depth int, in *keyed) (_ []string, param string, names keyNames, ok bool) {
	// The struct whose members the field names walk, with untagged
	// embedded structs flattened into it, and the path of indices to the
	// field from it.
	var members reflect.Type
	var pathBuf [4]int
	path := pathBuf[:0]
	for {
		var seg keyed
		if in != nil {
			seg, in = *in, nil
		} else {
			if ns == "" {
				return tokens, "", names, true
			}
			// A field name, up to "." or "[".
			end := segmentEnd(ns)
			name := ns[:end]
			ns = ns[end:]
			t = deref(t)
			if t.Kind() != reflect.Struct {
				return nil, "", keyNames{}, false
			}
			f, found := t.FieldByName(name)
			if !found || len(f.Index) != 1 {
				return nil, "", keyNames{}, false
			}
			if members == nil {
				members, path = t, path[:0]
			}
			path = append(path, f.Index[0])
			depth++
			jsonTag := f.Tag.Get("json")
			tag, tagged := jsonTagName(f)
			if depth == 1 && !tagged && (ns == "" || ns[0] == '[') {
				// Not named in the body: a query, path or form parameter
				// (or one of its values, bound to a slice)?
				if p := boundParameter(f); p != "" {
					return nil, p, keyNames{}, true
				}
			}
			switch {
			case jsonTag == "-":
				return nil, "", keyNames{}, true
			case !tagged && f.Anonymous && deref(f.Type).Kind() == reflect.Struct:
				// flattened into its parent
				t, names = f.Type, keyNames{}
				ns = strings.TrimPrefix(ns, ".")
				continue
			case !tagged:
				tag = f.Name
			}
			if !writesField(members, path, tag) {
				return nil, "", keyNames{}, true // another field has its name
			}
			tokens = append(tokens, tag)
			members = nil
			t = f.Type
			seg = keyed{brackets: ns, first: len(tokens)}
		}

		// Indices and map keys: "[2]", "[key]".
		for strings.HasPrefix(ns, "[") {
			t = deref(t)
			var key string
			switch t.Kind() {
			case reflect.Slice, reflect.Array:
				close := strings.IndexByte(ns, ']')
				if close < 0 {
					return nil, "", keyNames{}, false
				}
				key, ns = ns[1:close], ns[close+1:]
			case reflect.Map:
				end := keyEnd(ns, 1)
				if end < 0 {
					return nil, "", keyNames{}, false
				}
				if keyEnd(ns, end+1) >= 0 { // more than one reading
					return w.readKey(slices.Clone(tokens), t, ns, depth, seg)
				}
				key, ns = ns[1:end], ns[end+1:]
				if w.withhold || !keyTextExact(t.Key()) {
					key, seg.withheld = KeyToken, true
				}
			default:
				return nil, "", keyNames{}, false
			}
			tokens = append(tokens, key)
			t = t.Elem()
		}
		names = keyNames{}
		if seg.withheld {
			names = withheldNames(seg.brackets[:len(seg.brackets)-len(ns)], tokens[seg.first:])
		}
		ns = strings.TrimPrefix(ns, ".")
	}
}

// readKey walks ns, "[key]rest" after a value of the map type t, with
// each reading of the key in turn (see walkTypes) until one leaves a rest
// the types fit.
func (w *typeWalk) readKey(tokens []string, t reflect.Type, ns string, depth int, seg keyed) (_ []string, param string, names keyNames, ok bool) {
	trying := w.trying
	w.trying = true
	for end := keyEnd(ns, 1); end >= 0 && w.readings > 0; end = keyEnd(ns, end+1) {
		w.readings--
		key, in := ns[1:end], seg
		if w.withhold || !keyTextExact(t.Key()) {
			key, in.withheld = KeyToken, true
		}
		// Each reading walks tokens of its own, from the segment's first
		// on: a failed one must not write into those of the next, and the
		// walk then never gets the caller's tokens (which findPlace keeps
		// on the stack) to keep.
		in.first = 0
		rest := append(slices.Clone(tokens[seg.first:]), key)
		if out, param, names, ok := walkFrom[innerWalk](w, rest, t.Elem(), ns[end+1:], depth, &in); ok {
			w.trying = trying
			if out != nil {
				out = append(slices.Clone(tokens[:seg.first]), out...)
			}
			return out, param, names, true
		}
	}
	w.trying = trying
	if trying {
		return nil, "", keyNames{}, false
	}
	// The entry, which holds what failed.
	tokens = append(tokens, KeyToken)
	return tokens, "", withheldNames(seg.brackets, tokens[seg.first:]), true
}

// writesField reports whether encoding/json writes, as the member name of
// a value of the struct type t, the field at path (indices from t, through
// untagged embedded structs): of the fields that share a name, it writes
// the shallowest only, and of those the one tagged if only one is; none
// where more are.
func writesField(t reflect.Type, path []int, name string) bool {
	return slices.Equal(jsonMembers(t)[name], path)
}

// membersOf holds jsonMembers by type: types are as many as the program
// has.
var membersOf = cache[reflect.Type, map[string][]int]{max: 1024}

// jsonMembers returns the fields encoding/json writes of a struct type t,
// by member name, each as the path of indices to it from t. It follows
// typeFields in encoding/json: a breadth-first walk of t's fields and of
// those of its untagged embedded structs, each struct type walked once, at
// its shallowest, and a name given to the dominant field of those that
// share it.
func jsonMembers(t reflect.Type) map[string][]int {
	if m, ok := membersOf.get(t); ok {
		return m
	}
	type field struct {
		name   string
		tagged bool
		path   []int
	}
	type embedded struct {
		t    reflect.Type
		path []int
	}
	var fields []field
	next := []embedded{{t: t}}
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current := next
		next = nil
		count := map[reflect.Type]int{} // of the structs at this depth
		for _, e := range current {
			count[e.t]++
		}
		for _, e := range current {
			if visited[e.t] {
				continue
			}
			visited[e.t] = true
			for i := range e.t.NumField() {
				sf := e.t.Field(i)
				if sf.Anonymous {
					if !sf.IsExported() && deref(sf.Type).Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				if sf.Tag.Get("json") == "-" {
					continue
				}
				name, tagged := jsonTagName(sf)
				path := append(slices.Clip(e.path), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if tagged || !sf.Anonymous || ft.Kind() != reflect.Struct {
					if !tagged {
						name = sf.Name
					}
					fields = append(fields, field{name, tagged, path})
					if count[e.t] > 1 { // embedded twice at this depth: written by neither
						fields = append(fields, field{name, tagged, path})
					}
					continue
				}
				next = append(next, embedded{ft, path})
			}
		}
	}
	// The dominant field of each name: the shallowest, tagged first; none
	// where the first two tie.
	slices.SortStableFunc(fields, func(a, b field) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := len(a.path) - len(b.path); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.path, b.path)
	})
	m := make(map[string][]int)
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		if j-i == 1 || len(fields[i].path) != len(fields[i+1].path) || fields[i].tagged != fields[i+1].tagged {
			m[fields[i].name] = fields[i].path
		}
		i = j
	}
	membersOf.add(t, m)
	return m
}

// keyTextExact reports whether validator writes a key of type t into a
// namespace as encoding/json writes it as a member name. validator writes
// it as fmt's %v does, which calls a String, Error or Format method;
// encoding/json writes a string as it is, an integer in decimal unless its
// type has a MarshalText method, and any other key with MarshalText.
func keyTextExact(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String:
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if t.Implements(textMarshalerType) {
			return false
		}
	default:
		return false
	}
	return !t.Implements(stringerType) && !t.Implements(errorType) && !t.Implements(formatterType)
}

var (
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	stringerType      = reflect.TypeFor[fmt.Stringer]()
	errorType         = reflect.TypeFor[error]()
	formatterType     = reflect.TypeFor[fmt.Formatter]()
)

// cutMapKey splits "[key]rest" into key and rest. The key ends at the first
// "]" followed by ".", "[" or the end: validator does not escape map keys,
// so a key holding "]." or "][" cannot be told apart from what follows it.
func cutMapKey(ns string) (key, rest string, ok bool) {
	if end := keyEnd(ns, 1); end >= 0 {
		return ns[1:end], ns[end+1:], true
	}
	return "", "", false
}

// keyEnd returns the index of the first "]" in ns from i on that may end a
// map key of "[key]rest": one followed by ".", "[" or the end; or -1.
func keyEnd(ns string, i int) int {
	for ; i < len(ns); i++ {
		if ns[i] == ']' && (i+1 == len(ns) || ns[i+1] == '.' || ns[i+1] == '[') {
			return i
		}
	}
	return -1
}

// boundParameter returns the parameter a field is bound from by Echo's
// binder, or "".
func boundParameter(f reflect.StructField) string {
	for _, key := range []string{"query", "param", "form"} {
		if name, _, _ := strings.Cut(f.Tag.Get(key), ","); name != "" && name != "-" {
			return name
		}
	}
	return ""
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// namespaceTokens splits a validator namespace (field names as the tag name
// function gave them) into pointer tokens, without types to go by, and
// returns the names of the last segment's keys as walkTypes does. The
// first segment is the validated type's name, and dropped, when the struct
// namespace starts with the same segment and has more after it. Without
// the types, a bracketed token of digits cannot be told from an index and
// is kept; with withhold, any other is a map key and KeyToken.
func namespaceTokens(tokens []string, ns, structNS string, withhold bool) ([]string, keyNames) {
	var names keyNames
	if ns == "" {
		return tokens, names
	}
	if first, rest, found := cutSegment(ns); found && first == segment(structNS) {
		ns = rest
	}
	for ns != "" {
		end := segmentEnd(ns)
		if name := ns[:end]; name != "" {
			tokens = append(tokens, name)
		}
		ns = ns[end:]
		brackets, first, keyed := ns, len(tokens), false
		for strings.HasPrefix(ns, "[") {
			key, rest, ok := cutMapKey(ns)
			if !ok {
				key, rest = ns, "" // not a namespace validator writes
			}
			if withhold && !isIndex(key) {
				key, keyed = KeyToken, true
			}
			tokens = append(tokens, key)
			ns = rest
		}
		names = keyNames{}
		if keyed {
			names = withheldNames(brackets[:len(brackets)-len(ns)], tokens[first:])
		}
		ns = strings.TrimPrefix(ns, ".")
	}
	return tokens, names
}

// isIndex reports whether s is a decimal index.
func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cutSegment splits off the first "."-separated segment of ns, reporting
// whether more follows it.
func cutSegment(ns string) (first, rest string, more bool) {
	first, rest, more = strings.Cut(ns, ".")
	return first, rest, more && !strings.Contains(first, "[")
}

func segment(ns string) string {
	first, _, _ := cutSegment(ns)
	return first
}

// segmentEnd returns the index of the first "." or "[" in ns, or len(ns).
func segmentEnd(ns string) int {
	for i := 0; i < len(ns); i++ {
		if ns[i] == '.' || ns[i] == '[' {
			return i
		}
	}
	return len(ns)
}
