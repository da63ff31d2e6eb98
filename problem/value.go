package problem

// The value walker: every encoder writes an extension value through
// appendValue, which gives the JSON that encoding/json would write for it
// (common types and InputErrors directly, anything else through
// encoding/json). The JSON encoder (json.go) writes those bytes; the XML
// (xml.go) and HTML (html.go) encoders read them back as plain values with
// decodeAny and write those, so a value says the same in every format. The
// rules for extension names (sorted order, no shadowing of a standard
// member, no two names sent alike) and the JSON string writer live here too,
// for the same reason.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/problemkit/problemkit/internal/members"
)

// maxDepth bounds the nesting of extension values, so that a value that
// contains itself fails instead of exhausting the stack.
const maxDepth = 1000

// DroppedError reports an extension member that was left out of an encoded
// problem: its value could not be encoded, or its name could not be sent.
// A name cannot be sent when it would shadow a standard member (see
// [Problem]), or when it would come out as the name of a member sent
// before it: invalid UTF-8 is sent as U+FFFD, so of "a\xff" and "a\xfe"
// only the first in sorted order is sent (RFC 8259 §4: names should be
// unique).
type DroppedError struct {
	Member string // the extension's name
	Err    error  // why it was dropped
}

func (e *DroppedError) Error() string {
	return fmt.Sprintf("problem: extension %q dropped: %v", e.Member, e.Err)
}

func (e *DroppedError) Unwrap() error { return e.Err }

var errShadows = errors.New("it would shadow the standard member")

// isStandardMember reports whether an extension named name would be read as
// a standard member (see members.Standard). The JSON, XML and HTML encoders
// all drop such members, and the decoders ignore them, so that a problem
// says the same in every format.
func isStandardMember(name string) bool { return members.Standard(name) }

// memberError reports why keys[i], of the extension names of a problem in
// sorted order, cannot be sent as a top-level member, or returns nil: it
// would shadow a standard member (see isStandardMember), or it would come
// out as the name of an earlier key, since invalid UTF-8 is sent as U+FFFD.
// Only names with invalid UTF-8 or with U+FFFD itself can come out alike,
// and only those are compared.
func memberError(keys []string, i int) error {
	k := keys[i]
	if isStandardMember(k) {
		return errShadows
	}
	if i == 0 || !mayShareName(k) {
		return nil
	}
	sent := sentName(k)
	for _, prev := range keys[:i] {
		if mayShareName(prev) && sentName(prev) == sent {
			return fmt.Errorf("its name is sent as %q, as that of %q is", sent, prev)
		}
	}
	return nil
}

func mayShareName(k string) bool {
	return !utf8.ValidString(k) || strings.Contains(k, "\uFFFD")
}

// sentName returns the name k is read as once encoded: each byte of invalid
// UTF-8 becomes U+FFFD, as appendString writes it.
func sentName(k string) string {
	if utf8.ValidString(k) {
		return k
	}
	return string([]rune(k))
}

func sortedKeys(keys []string, m map[string]any) []string {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// hasMembers reports whether p has extension members: entries of
// Extensions, or the code it carries (see typeCode).
func (p *Problem) hasMembers() bool { return len(p.Extensions) > 0 || p.code != nil }

// memberNames appends to keys the names of p's extension members, sorted:
// those of Extensions, and that of the code p carries (see typeCode)
// unless an entry of Extensions replaces it. Every encoder and the log
// take the names from memberNames and the values from memberValue, so
// that the code is sent as if it were in Extensions, under the same rules
// (see memberError).
func (p *Problem) memberNames(keys []string) []string {
	c := p.code
	if len(p.Extensions) == 0 && c != nil {
		return append(keys, c.member)
	}
	for k := range p.Extensions {
		keys = append(keys, k)
	}
	if c != nil {
		if _, listed := p.Extensions[c.member]; !listed {
			keys = append(keys, c.member)
		}
	}
	slices.Sort(keys)
	return keys
}

// memberValue returns the value of the extension member name, one of
// memberNames.
func (p *Problem) memberValue(name string) any {
	v, _ := p.member(name)
	return v
}

// appendMember appends the JSON of the extension member name, one of
// memberNames, as appendValue of its memberValue does, without boxing the
// code p carries in an interface.
func (p *Problem) appendMember(b []byte, name string, depth int) ([]byte, error) {
	if v, ok := p.Extensions[name]; ok {
		return appendValue(b, v, depth)
	}
	return appendString(b, p.code.code), nil
}

// appendValue appends the JSON encoding of v, as json.Marshal would write
// it. Common types, and InputErrors, are written directly; others go
// through encoding/json, which checks and escapes what their MarshalJSON
// methods write. The types written directly are matched by type, not by a
// method: a type of the user's that embeds one is the user's, and goes
// through encoding/json.
func appendValue(b []byte, v any, depth int) ([]byte, error) {
	if depth > maxDepth {
		return b, errors.New("value nested too deeply")
	}
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case *Problem:
		// Encoded here, not through its MarshalJSON, which would start
		// again at depth 0 and let a problem that holds itself recurse
		// without end.
		if v == nil {
			return append(b, "null"...), nil
		}
		return v.appendJSON(b, depth+1)
	case Problem:
		return v.appendJSON(b, depth+1)
	case string:
		return appendString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case int32:
		return strconv.AppendInt(b, int64(v), 10), nil
	case uint:
		return strconv.AppendUint(b, uint64(v), 10), nil
	case uint64:
		return strconv.AppendUint(b, v, 10), nil
	case uint32:
		return strconv.AppendUint(b, uint64(v), 10), nil
	case float64:
		return appendFloat(b, v, 64)
	case float32:
		return appendFloat(b, float64(v), 32)
	case json.Number:
		if v == "" {
			return append(b, '0'), nil
		}
		if !isValidNumber(string(v)) {
			return b, fmt.Errorf("invalid number literal %q", string(v))
		}
		return append(b, v...), nil
	case []string:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']'), nil
	case []any:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, e, depth+1); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case map[string]any:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '{')
		var buf [16]string
		for i, k := range sortedKeys(buf[:0], v) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			var err error
			if b, err = appendValue(b, v[k], depth+1); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case InputErrors:
		return v.appendJSON(b) // ours: valid by construction
	}
	return marshalFallback(b, v)
}

// marshalFallback encodes v with encoding/json. A panic in a MarshalJSON
// method becomes an error, so one bad value cannot break a response.
func marshalFallback(b []byte, v any) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = b, fmt.Errorf("panic while encoding %T: %v", v, r)
		}
	}()
	data, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	return append(b, data...), nil
}

// appendFloat formats f as encoding/json does.
func appendFloat(b []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, fmt.Errorf("unsupported value %v", f)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// Clean up e-09 to e-9.
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the bytes a JSON string can carry as they are: printable
// ASCII other than quote, backslash, <, > and &.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// safeLen returns how many leading bytes of s are jsonSafe. It tests eight
// bytes at a time while it can, with the SWAR tests of "Bit Twiddling Hacks"
// (whether any byte is below 0x20, equals one of "\\<>&, or has its high bit
// set), then one byte at a time. The tests are exact as a whole: they may
// misplace which byte matched, never whether one did.
func safeLen(s string) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		t := s[i : i+8]
		x := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
		// " (0x22) and & (0x26) differ in bit 2 only, < (0x3c) and > (0x3e)
		// in bit 1 only: setting that bit maps each pair onto one value.
		qa, lg, bs := (x|0x04*lo)^('&'*lo), (x|0x02*lo)^('>'*lo), x^('\\'*lo)
		found := (x-0x20*lo)&^x | (qa-lo)&^qa | (lg-lo)&^lg | (bs-lo)&^bs
		if (found|x)&hi != 0 {
			break
		}
	}
	for i < len(s) && jsonSafe[s[i]] {
		i++
	}
	return i
}

// appendString appends s as a JSON string, escaped exactly as encoding/json
// escapes it: control characters, quote and backslash, <, > and & (so that
// the JSON is safe to embed in HTML), U+2028 and U+2029, and invalid UTF-8
// as U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		i += safeLen(s[i:])
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// isValidNumber reports whether s is a JSON number literal (RFC 8259 §6).
func isValidNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
		if s == "" {
			return false
		}
	}
	switch {
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = s[1:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && '0' <= s[1] && s[1] <= '9' {
		s = s[2:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
			if s == "" {
				return false
			}
		}
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	return s == ""
}

// decodeAny reads JSON written by appendValue back as plain values: nil,
// bool, string, json.Number, []any and map[string]any.
func decodeAny(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}
