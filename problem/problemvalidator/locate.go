package problemvalidator

import (
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/problemkit/problemkit/problem"
)

// locate returns where a failed field is: a JSON Pointer into the request
// content, or the name of the query, path or form parameter it was bound
// from. root is the validated type, or nil when unknown.
func locate(fe validator.FieldError, root reflect.Type) (pointer, parameter string) {
	// Namespaces without indices or map keys name the same struct field
	// every time: keep what they resolve to.
	key := placeKey{root: root, ns: fe.StructNamespace(), tagged: fe.Namespace()}
	cacheable := strings.IndexByte(key.ns, '[') < 0
	if cacheable {
		if p, ok := places.get(key); ok {
			return p.pointer, p.parameter
		}
	}
	pointer, parameter = findPlace(fe, root)
	if cacheable {
		places.add(key, place{pointer, parameter})
	}
	return pointer, parameter
}

type placeKey struct {
	root       reflect.Type
	ns, tagged string
}

type place struct{ pointer, parameter string }

var places = cache[placeKey, place]{max: 4096}

func findPlace(fe validator.FieldError, root reflect.Type) (pointer, parameter string) {
	var buf [8]string // room for the tokens of most pointers, on the stack
	if root != nil {
		if tokens, param, ok := walkTypes(buf[:0], root, fe.StructNamespace()); ok {
			if param != "" {
				return "", param
			}
			if tokens == nil {
				return "", "" // a field clients cannot send (json:"-")
			}
			return problem.Pointer(tokens...), ""
		}
	}
	return problem.Pointer(namespaceTokens(buf[:0], fe.Namespace(), fe.StructNamespace())...), ""
}

// walkTypes follows a validator struct namespace ("User.Addresses[2].City",
// Go field names) through the Go types from root, and returns the JSON
// Pointer tokens encoding/json would use: json tag names, Go names for
// untagged fields, no token for an untagged embedded struct (encoding/json
// flattens it), array and slice indices, map keys, appended to tokens
// (which must not be nil). A top-level field
// without a json tag that is bound from a query, path or form parameter
// (tags query, param, form) is named as that parameter. tokens is nil, with
// ok, for a field tagged json:"-". ok is false when the namespace does not
// fit the types.
func walkTypes(tokens []string, root reflect.Type, ns string) (_ []string, param string, ok bool) {
	t := deref(root)
	if t.Kind() != reflect.Struct {
		return nil, "", false
	}
	if t.Name() != "" {
		rest, found := strings.CutPrefix(ns, t.Name())
		if !found || (rest != "" && rest[0] != '.') {
			return nil, "", false
		}
		ns = strings.TrimPrefix(rest, ".")
	}
	depth := 0
	for ns != "" {
		// A field name, up to "." or "[".
		end := segmentEnd(ns)
		name := ns[:end]
		ns = ns[end:]
		t = deref(t)
		if t.Kind() != reflect.Struct {
			return nil, "", false
		}
		f, found := t.FieldByName(name)
		if !found || len(f.Index) != 1 {
			return nil, "", false
		}
		depth++
		jsonTag := f.Tag.Get("json")
		tag, _, _ := strings.Cut(jsonTag, ",")
		if depth == 1 && ns == "" && (tag == "" || jsonTag == "-") {
			// Not named in the body: a query, path or form parameter?
			if p := boundParameter(f); p != "" {
				return nil, p, true
			}
		}
		switch {
		case jsonTag == "-":
			return nil, "", true
		case tag != "":
			tokens = append(tokens, tag)
		case f.Anonymous && deref(f.Type).Kind() == reflect.Struct:
			// flattened into its parent
		default:
			tokens = append(tokens, f.Name)
		}
		t = f.Type

		// Indices and map keys: "[2]", "[key]".
		for strings.HasPrefix(ns, "[") {
			t = deref(t)
			var key string
			switch t.Kind() {
			case reflect.Slice, reflect.Array:
				close := strings.IndexByte(ns, ']')
				if close < 0 {
					return nil, "", false
				}
				key, ns = ns[1:close], ns[close+1:]
			case reflect.Map:
				key, ns, ok = cutMapKey(ns)
				if !ok {
					return nil, "", false
				}
			default:
				return nil, "", false
			}
			tokens = append(tokens, key)
			t = t.Elem()
		}
		ns = strings.TrimPrefix(ns, ".")
	}
	return tokens, "", true
}

// cutMapKey splits "[key]rest" into key and rest. The key ends at the first
// "]" followed by ".", "[" or the end: validator does not escape map keys,
// so a key holding "]." or "][" cannot be told apart from what follows it.
func cutMapKey(ns string) (key, rest string, ok bool) {
	for i := 1; i < len(ns); i++ {
		if ns[i] == ']' && (i+1 == len(ns) || ns[i+1] == '.' || ns[i+1] == '[') {
			return ns[1:i], ns[i+1:], true
		}
	}
	return "", "", false
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
// function gave them) into pointer tokens, without types to go by. The
// first segment is the validated type's name, and dropped, when the struct
// namespace starts with the same segment and has more after it.
func namespaceTokens(tokens []string, ns, structNS string) []string {
	if ns == "" {
		return tokens
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
		for strings.HasPrefix(ns, "[") {
			key, rest, ok := cutMapKey(ns)
			if !ok {
				return append(tokens, ns)
			}
			tokens = append(tokens, key)
			ns = rest
		}
		ns = strings.TrimPrefix(ns, ".")
	}
	return tokens
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
