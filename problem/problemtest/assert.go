package problemtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/problemkit/problemkit/problem"
)

// Want is what Assert expects of a problem response. Only the fields that
// are set are compared: a zero field (0, "", nil) is not checked.
type Want struct {
	// Status is the status code, in the status line and, when the body
	// has one, in the status member.
	Status int
	// MediaType is the media type of the body, without parameters:
	// "application/problem+json" or "application/problem+xml".
	MediaType string
	// Type is the type member. A body without one has the type
	// [problem.AboutBlank] (RFC 9457 §3.1.1).
	Type string
	// Title, Detail and Instance are the members of those names.
	Title, Detail, Instance string
	// Extensions are extension members (the standard members have the
	// fields above), each compared with the body's
	// member of that name as JSON: the value is encoded as encoding/json
	// encodes it (a json.RawMessage as it is), and the two must be the
	// same JSON value, whatever the order of object members, the spacing
	// or the spelling of numbers (30, 30.0 and 3e1 are the same). An XML
	// body's member is compared with the value as XML carries it (see
	// [problem.Problem.AppendXML]): numbers and booleans as text, arrays
	// as <i> elements.
	Extensions map[string]any
	// Errors are the items of the "errors" member, the list of input
	// errors that RFC 9457 §3 shows, one for one and in order. An empty,
	// non-nil Errors expects no items: the member is absent or empty.
	Errors []InputError
	// Header holds header fields the response must carry, each with
	// exactly the values given, in order; a field given without values
	// must be present, with any value.
	Header http.Header
	// Absent names members the body must not have, standard members
	// ("detail") or extensions alike. A member set to null is present.
	Absent []string
}

// InputError is an item of the "errors" member a [Want] expects: what is
// wrong and where. Only the fields that are set are compared, each with
// the item's string member of the same name in lower case. The place is a
// JSON Pointer into the request content ("#/profile/color", as RFC 9457
// §3 shows and [problem.Pointer] makes), a query, path or form parameter,
// or a header field.
type InputError struct {
	Detail    string
	Pointer   string
	Parameter string
	Header    string
}

// Assert checks that r is a problem response as want describes it, and
// that it breaks none of the rules [Check] tests. It reports what differs
// with t.Errorf, in one message beside the whole response (its status
// line, its header and its body, indented), and returns whether r is as
// wanted, so that a test may stop:
//
//	if !problemtest.Assert(t, rec, problemtest.Want{Status: 404, Title: "Not Found"}) {
//		t.FailNow()
//	}
//
// Assert does not consume the body (see [Check]).
func Assert[R Response](t testing.TB, r R, want Want) bool {
	t.Helper()
	s, err := ptSnap(r)
	if err != nil {
		t.Errorf("problemtest.Assert: %v", err)
		return false
	}
	vs, doc := ptCheck(s)
	diffs := ptCompare(s, doc, want)
	if len(vs) == 0 && len(diffs) == 0 {
		return true
	}
	var b strings.Builder
	b.WriteString("problemtest.Assert: ")
	if len(diffs) > 0 {
		b.WriteString("the response differs from Want:\n")
		for _, d := range diffs {
			b.WriteString("    " + d + "\n")
		}
		if len(vs) > 0 {
			b.WriteString("and breaks RFC 9457 or RFC 9110:\n")
		}
	} else {
		b.WriteString("the response breaks RFC 9457 or RFC 9110:\n")
	}
	ptViolations(&b, vs)
	ptDump(&b, s)
	t.Errorf("%s", b.String())
	return false
}

// ptCompare returns what differs between the response and want, one
// line each, such as `title = "Not Found", want "Gone"`.
func ptCompare(s *ptSnapshot, doc *ptDoc, want Want) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	if want.Status != 0 && s.code != want.Status {
		add("status = %d, want %d", s.code, want.Status)
	}
	if want.MediaType != "" {
		if mt, _, _ := ptMediaType(s.header); mt != want.MediaType {
			add("media type = %q, want %q", mt, want.MediaType)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(want.Header)) {
		name := http.CanonicalHeaderKey(k)
		got, ok := ptValues(s.header, name)
		switch {
		case !ok && len(want.Header[k]) == 0:
			add("header %s absent, want it present", name)
		case !ok:
			add("header %s absent, want %q", name, want.Header[k])
		case len(want.Header[k]) > 0 && !slices.Equal(got, want.Header[k]):
			add("header %s = %q, want %q", name, got, want.Header[k])
		}
	}
	members := want.Type != "" || want.Title != "" || want.Detail != "" || want.Instance != "" ||
		len(want.Extensions) > 0 || want.Errors != nil || len(want.Absent) > 0
	if !members {
		return diffs
	}
	if doc == nil || doc.decoded == nil {
		why := "the body is not a problem"
		if s.head {
			why = "a response to HEAD has no body"
		}
		add("%s; want its members", why)
		return diffs
	}
	for _, m := range []struct{ name, want string }{
		{"type", want.Type}, {"title", want.Title}, {"detail", want.Detail}, {"instance", want.Instance},
	} {
		if m.want == "" {
			continue
		}
		got, ok := doc.text(m.name)
		switch {
		case m.name == "type" && !doc.present["type"]:
			if m.want != problem.AboutBlank {
				add("type absent (about:blank), want %q", m.want)
			}
		case !doc.present[m.name]:
			add("%s absent, want %q", m.name, m.want)
		case !ok:
			add("%s = %s, want %q", m.name, doc.show(m.name), m.want)
		case got != m.want:
			add("%s = %q, want %q", m.name, got, m.want)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(want.Extensions)) {
		w, err := doc.canonWant(want.Extensions[name])
		if err != nil {
			add("member %q: want %v", name, err)
			continue
		}
		got, ok := doc.decoded.Extensions[name]
		if !ok {
			add("member %q absent, want %s", name, ptShow(w))
			continue
		}
		if !reflect.DeepEqual(ptCanon(got), ptCanon(w)) {
			add("member %q = %s, want %s", name, doc.show(name), ptShow(w))
		}
	}
	if want.Errors != nil {
		diffs = append(diffs, doc.compareErrors(want.Errors)...)
	}
	for _, name := range want.Absent {
		if doc.present[name] {
			add("member %q = %s, want it absent", name, doc.show(name))
		}
	}
	return diffs
}

// text returns the standard member name as a string, and whether the body
// has it as one.
func (d *ptDoc) text(name string) (string, bool) {
	if d.format == ptXML {
		p := d.decoded
		return map[string]string{"type": p.Type, "title": p.Title, "detail": p.Detail, "instance": p.Instance}[name], d.present[name]
	}
	var s string
	raw, ok := d.raw[name]
	if !ok || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// show returns member name of the body as a message shows it: its JSON,
// or for XML, the value as package problem reads it, in JSON.
func (d *ptDoc) show(name string) string {
	if d.format == ptJSON {
		var b bytes.Buffer
		if json.Compact(&b, d.raw[name]) == nil {
			return b.String()
		}
		return string(d.raw[name])
	}
	if v, ok := d.decoded.Extensions[name]; ok {
		return ptShow(v)
	}
	s, _ := d.text(name)
	return strconv.Quote(s)
}

// canonWant returns want as the body's value is decoded: encoded as JSON
// and read back with UseNumber, then, for an XML body, in the shape XML
// gives it.
func (d *ptDoc) canonWant(want any) (any, error) {
	data, err := json.Marshal(want)
	if err != nil {
		return nil, fmt.Errorf("cannot be encoded: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("cannot be encoded: %v", err)
	}
	if d.format == ptXML {
		v = ptXMLShape(v)
	}
	return v, nil
}

// ptCanon returns v, a value as encoding/json decodes into any with
// UseNumber, with each number as an exact fraction, so that equal numbers
// compare equal however they are spelt.
func ptCanon(v any) any {
	switch v := v.(type) {
	case json.Number:
		if r, ok := new(big.Rat).SetString(string(v)); ok {
			return ptNumber(r.RatString())
		}
		return ptNumber(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = ptCanon(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = ptCanon(e)
		}
		return out
	}
	return v
}

// ptNumber is a number made canonical by ptCanon.
type ptNumber string

// ptShow returns a value as encoding/json decodes it, with UseNumber, as
// JSON with sorted object members, for messages.
func ptShow(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

// ptXMLShape returns v as an XML body carries it and package problem reads
// it back: numbers and booleans as their JSON text, null, "", an empty
// array and an empty object as "" (an empty element), arrays as []any and
// objects as map[string]any of such values.
func ptXMLShape(v any) any {
	switch v := v.(type) {
	case nil:
		return ""
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return string(v)
	case []any:
		if len(v) == 0 {
			return ""
		}
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = ptXMLShape(e)
		}
		return out
	case map[string]any:
		if len(v) == 0 {
			return ""
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = ptXMLShape(e)
		}
		return out
	}
	return v
}

// compareErrors compares the body's "errors" member with want.
func (d *ptDoc) compareErrors(want []InputError) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	v, ok := d.decoded.Extensions["errors"]
	if !ok {
		if len(want) > 0 {
			add("errors absent, want %s", ptItems(len(want)))
		}
		return diffs
	}
	items, isList := v.([]any)
	if !isList {
		if s, _ := v.(string); d.format == ptXML && s == "" {
			items, isList = nil, true // an empty element: no items
		}
	}
	if !isList {
		return append(diffs, fmt.Sprintf("errors = %s, want %s", d.show("errors"), ptItems(len(want))))
	}
	if len(items) != len(want) {
		add("errors has %s, want %d", ptItems(len(items)), len(want))
	}
	for i, w := range want {
		if i >= len(items) {
			break
		}
		item, _ := items[i].(map[string]any)
		for _, f := range []struct{ name, want string }{
			{"detail", w.Detail}, {"pointer", w.Pointer}, {"parameter", w.Parameter}, {"header", w.Header},
		} {
			if f.want == "" {
				continue
			}
			got, ok := item[f.name]
			s, isString := got.(string)
			switch {
			case !ok:
				add("errors[%d].%s absent, want %q", i, f.name, f.want)
			case !isString:
				add("errors[%d].%s = %s, want %q", i, f.name, ptShow(got), f.want)
			case s != f.want:
				add("errors[%d].%s = %q, want %q", i, f.name, s, f.want)
			}
		}
	}
	return diffs
}

// ptItems returns "1 item" or "n items".
func ptItems(n int) string {
	if n == 1 {
		return "1 item"
	}
	return strconv.Itoa(n) + " items"
}
