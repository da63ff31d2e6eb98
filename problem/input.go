package problem

import (
	"log/slog"
	"maps"
	"slices"

	"golang.org/x/text/language"
)

// InputError locates one error in a request's input, as an item of the
// "errors" extension that RFC 9457 §3 shows: what is wrong and where. Where
// is a JSON Pointer into the request content, in URI fragment form such as
// "#/profile/color" (see [Pointer]), or for input that is not content, the
// name of a query, path or form parameter.
//
// It encodes as
//
//	{"detail":"must be 'green', 'red' or 'blue'","pointer":"#/profile/color","rule":"oneof","param":"green red blue"}
//
// with unset members left out.
type InputError struct {
	// Detail says what is wrong, for people: "must be at least 3
	// characters long".
	Detail string `json:"detail"`
	// Pointer locates the value in the request content.
	Pointer string `json:"pointer,omitempty"`
	// Parameter names the query, path or form parameter instead.
	Parameter string `json:"parameter,omitempty"`
	// Rule names the check that failed, for machines: "min", "required".
	Rule string `json:"rule,omitempty"`
	// Param is the rule's parameter: "3" for min=3.
	Param string `json:"param,omitempty"`
	// Value is the rejected value. It echoes the client's input back, so
	// the adapters set it only when asked to.
	Value any `json:"value,omitempty"`
}

// InputErrors is the value of an "errors" extension. A problem encodes it
// without reflection, in the bytes encoding/json writes for it.
type InputErrors []InputError

// MarshalJSON implements [encoding/json.Marshaler]: the bytes a problem writes for
// e as its "errors" member, and an error where the problem would leave the
// member out (an item's Value that JSON cannot hold, or one nested too
// deeply), so that code that checks or logs items with encoding/json
// sees what a client would.
func (e InputErrors) MarshalJSON() ([]byte, error) { return e.appendJSON(nil) }

// appendJSON appends e as encoding/json encodes it. It makes room for the
// items once, and copies a string with nothing to escape (the usual case:
// adapters' details, pointers and rule names) as it is.
func (e InputErrors) appendJSON(b []byte) ([]byte, error) {
	if e == nil {
		return append(b, "null"...), nil
	}
	b = slices.Grow(b, e.sizeHint())
	b = append(b, '[')
	for i := range e {
		item := &e[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = appendInputString(append(b, `{"detail":`...), item.Detail)
		b = appendStringMember(b, `,"pointer":`, item.Pointer)
		b = appendStringMember(b, `,"parameter":`, item.Parameter)
		b = appendStringMember(b, `,"rule":`, item.Rule)
		b = appendStringMember(b, `,"param":`, item.Param)
		if item.Value != nil {
			b = append(b, `,"value":`...)
			var err error
			if b, err = appendValue(b, item.Value, 1); err != nil {
				return b, err
			}
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// sizeHint is the length of e's encoding when no string needs escaping and
// no item has a value: room enough for most.
func (e InputErrors) sizeHint() int {
	n := 2
	for i := range e {
		item := &e[i]
		n += len(`{"detail":"","pointer":"","parameter":"","rule":"","param":""},`) +
			len(item.Detail) + len(item.Pointer) + len(item.Parameter) + len(item.Rule) + len(item.Param)
	}
	return n
}

// appendStringMember appends name, a member's name with its comma and
// colon (`,"rule":`), and value, unless value is empty, as omitempty leaves
// it out.
func appendStringMember(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	return appendInputString(append(b, name...), value)
}

// appendInputString is appendString, with s copied as it is when it has
// nothing to escape.
func appendInputString(b []byte, s string) []byte {
	if safeLen(s) == len(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	return appendString(b, s)
}

// Pointer returns the JSON Pointer (RFC 6901) to the value reached by
// tokens, in URI fragment form: "#" followed by each token, escaped ("~" as
// "~0", "/" as "~1") and then percent-encoded where a URI fragment does not
// allow its characters. Pointer() is "#", the whole document;
// Pointer("tags", "a/b") is "#/tags/a~1b"; Pointer(" ") is "#/%20".
func Pointer(tokens ...string) string {
	n := 1
	for _, t := range tokens {
		n += 1 + len(t)
	}
	return string(AppendPointer(make([]byte, 0, n), tokens...))
}

// AppendPointer appends [Pointer](tokens...) to b.
func AppendPointer(b []byte, tokens ...string) []byte {
	b = append(b, '#')
	for _, t := range tokens {
		b = append(b, '/')
		for i := 0; i < len(t); i++ {
			switch c := t[i]; {
			case c == '~':
				b = append(b, '~', '0')
			case c == '/':
				b = append(b, '~', '1')
			case fragmentSafe(c):
				b = append(b, c)
			default:
				b = append(b, '%', upperHex[c>>4], upperHex[c&0xF])
			}
		}
	}
	return b
}

const upperHex = "0123456789ABCDEF"

// fragmentSafe reports whether c may stand unencoded in a URI fragment
// (RFC 3986 §3.5: pchar, "/" and "?").
func fragmentSafe(c byte) bool { return fragmentSafeSet[c] }

var fragmentSafeSet = func() (set [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		set[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		set[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		set[c] = true
	}
	for _, c := range []byte("-._~!$&'()*+,;=:@/?") {
		set[c] = true
	}
	return set
}()

// LogValue implements [slog.LogValuer]: the items as their JSON.
func (e InputErrors) LogValue() slog.Value {
	b, err := e.appendJSON(nil)
	if err != nil {
		return slog.StringValue(err.Error())
	}
	return slog.StringValue(string(b))
}

// InputTranslator is implemented by the cause of a problem whose "errors"
// items it made and can write in other languages: the error the problem
// wraps ([Type.Wrap], [Problem.Unwrap]) itself, not one it wraps in
// turn, since those items are the problem's. The validation adapter's
// causes implement it (problemvalidator.Validator.AddTranslation); an
// adapter of another validation library can do the same (see the example).
//
// [Responder] calls InputErrorsIn when its catalog has more than one
// language (see [catalog.Catalog.WithTranslation]), with the language it
// negotiated on Accept-Language (see [catalog.Catalog.Negotiate]), the
// base language too, and items, the problem's "errors" extension when that is
// an [InputErrors]. It sends
// what InputErrorsIn returns in the problem's place, in a copy of the
// problem; the problem itself is not changed. With one language, or a
// cause that does not implement it, the items are sent as they are.
//
// InputErrorsIn returns items with details in the language tag (or the
// one it falls back to among the cause's, as [catalog.MatchLanguage] has
// it, so that it agrees with the negotiation): a new slice, leaving items
// as they are, or false when it has no texts in tag or items are not
// those it made. An item whose detail, pointer or rule is not as it made
// it stays as written: the handler changed it. It may be called from many
// goroutines at once.
type InputTranslator interface {
	error
	InputErrorsIn(tag language.Tag, items InputErrors) (InputErrors, bool)
}

// translateInput returns v with the items of its "errors" extension in the
// language tag, where its own cause made them and can write them in tag
// (see [InputTranslator]): v itself when nothing changes, else a copy in
// *into, with extensions of its own.
func translateInput(v, into *Problem, tag language.Tag) *Problem {
	t, ok := v.cause.(InputTranslator) // the cause itself: its items are v's
	if !ok {
		return v
	}
	items, ok := v.Extensions["errors"].(InputErrors)
	if !ok {
		return v
	}
	translated, ok := t.InputErrorsIn(tag, items)
	if !ok {
		return v
	}
	if v != into {
		*into = *v
	}
	into.Extensions = maps.Clone(v.Extensions) // the problem's may be shared
	into.Extensions["errors"] = translated
	return into
}
