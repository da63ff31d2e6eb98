// Package sf parses and serialises the Structured Field Values of RFC 9651
// that the RateLimit and RateLimit-Policy fields use
// (draft-ietf-httpapi-ratelimit-headers): a List of Items, each a bare
// item with Parameters. Inner Lists and Dictionaries are outside it.
//
// A bare item is, in Go: an int64 (Integer), a [Decimal], a string
// (String), a [Token], a []byte (Byte Sequence), a bool (Boolean), a
// [Date] or a [DisplayString].
package sf

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxInteger is the largest Integer, and -MaxInteger the smallest (RFC
// 9651 §3.3.1).
const MaxInteger = 999_999_999_999_999

// Token is a Token (RFC 9651 §3.3.4), such as default or text/plain.
type Token string

// Decimal is a Decimal (RFC 9651 §3.3.2) in thousandths: 1.5 is 1500. Its
// integer part has at most 12 digits.
type Decimal int64

// maxDecimal is the largest Decimal, 999,999,999,999.999.
const maxDecimal = 999_999_999_999_999

// Date is a Date (RFC 9651 §3.3.7): seconds since the Unix epoch.
type Date int64

// DisplayString is a Display String (RFC 9651 §3.3.8): Unicode text.
type DisplayString string

// Param is a parameter of an Item: a key and a bare item.
type Param struct {
	Key   string
	Value any
}

// Item is a bare item and its parameters (RFC 9651 §3.3), in order.
type Item struct {
	Value  any
	Params []Param
}

// Param returns the value of the parameter key, and whether the item has
// it.
func (it Item) Param(key string) (any, bool) {
	for _, p := range it.Params {
		if p.Key == key {
			return p.Value, true
		}
	}
	return nil, false
}

// ErrString is matched by the error for a String that holds a byte
// outside printable ASCII (%x20-7E), which a String cannot carry.
var ErrString = errors.New("a Structured Field String holds printable ASCII only")

// AppendList appends items serialised as a List (RFC 9651 §4.1.1),
// separated by ", ". It returns an error for an item that cannot be
// serialised, and b as it was.
func AppendList(b []byte, items []Item) ([]byte, error) {
	start := len(b)
	for i, it := range items {
		if i > 0 {
			b = append(b, ", "...)
		}
		var err error
		if b, err = AppendItem(b, it); err != nil {
			return b[:start], err
		}
	}
	return b, nil
}

// AppendItem appends it serialised as an Item (RFC 9651 §4.1.3). It
// returns an error for a part that cannot be serialised, and b as it was.
func AppendItem(b []byte, it Item) ([]byte, error) {
	start := len(b)
	b, err := AppendBareItem(b, it.Value)
	if err != nil {
		return b[:start], err
	}
	for _, p := range it.Params {
		if b, err = AppendParam(b, p.Key, p.Value); err != nil {
			return b[:start], err
		}
	}
	return b, nil
}

// AppendParam appends the parameter ;key=value (RFC 9651 §4.1.1.2); a
// value true is written as the key alone. It returns an error for a key
// or value that cannot be serialised, and b as it was.
func AppendParam(b []byte, key string, value any) ([]byte, error) {
	if !validKey(key) {
		return b, fmt.Errorf("sf: %q is not a parameter key", key)
	}
	start := len(b)
	b = append(b, ';')
	b = append(b, key...)
	if v, ok := value.(bool); ok && v {
		return b, nil
	}
	b, err := AppendBareItem(append(b, '='), value)
	if err != nil {
		return b[:start], err
	}
	return b, nil
}

// AppendBareItem appends v serialised as a bare item (RFC 9651 §4.1.3.1).
// It returns an error for a value that cannot be serialised, and b as it
// was.
func AppendBareItem(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case int64:
		return AppendInteger(b, v)
	case Decimal:
		return appendDecimal(b, v)
	case string:
		return AppendString(b, v)
	case Token:
		return appendToken(b, v)
	case []byte:
		return AppendByteSequence(b, v), nil
	case bool:
		if v {
			return append(b, "?1"...), nil
		}
		return append(b, "?0"...), nil
	case Date:
		if v < -MaxInteger || v > MaxInteger {
			return b, fmt.Errorf("sf: date %d is outside ±%d", int64(v), int64(MaxInteger))
		}
		return strconv.AppendInt(append(b, '@'), int64(v), 10), nil
	case DisplayString:
		return appendDisplayString(b, v)
	}
	return b, fmt.Errorf("sf: %T is not a bare item", v)
}

// AppendInteger appends n serialised as an Integer (RFC 9651 §4.1.4).
func AppendInteger(b []byte, n int64) ([]byte, error) {
	if n < -MaxInteger || n > MaxInteger {
		return b, fmt.Errorf("sf: integer %d is outside ±%d", n, int64(MaxInteger))
	}
	return strconv.AppendInt(b, n, 10), nil
}

// AppendString appends s serialised as a String (RFC 9651 §4.1.6):
// quoted, with '"' and '\' escaped. A byte outside %x20-7E, CR and LF
// among them, is an error that matches [ErrString].
func AppendString(b []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return b, fmt.Errorf("%w: %q", ErrString, s)
		}
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return append(b, '"'), nil
}

// AppendByteSequence appends p serialised as a Byte Sequence (RFC 9651
// §4.1.8): base64 with padding, between colons.
func AppendByteSequence(b, p []byte) []byte {
	b = append(b, ':')
	b = base64.StdEncoding.AppendEncode(b, p)
	return append(b, ':')
}

func appendDecimal(b []byte, d Decimal) ([]byte, error) {
	if d < -maxDecimal || d > maxDecimal {
		return b, fmt.Errorf("sf: decimal %d thousandths is outside ±%d", int64(d), int64(maxDecimal))
	}
	if d < 0 {
		b = append(b, '-')
		d = -d
	}
	b = strconv.AppendInt(b, int64(d/1000), 10)
	frac := strconv.AppendInt(nil, 1000+int64(d%1000), 10)[1:] // three digits
	for len(frac) > 1 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	return append(append(b, '.'), frac...), nil
}

func appendToken(b []byte, t Token) ([]byte, error) {
	if t == "" || !(isAlpha(t[0]) || t[0] == '*') {
		return b, fmt.Errorf("sf: %q is not a token", string(t))
	}
	for i := 1; i < len(t); i++ {
		if !isTokenChar(t[i]) {
			return b, fmt.Errorf("sf: %q is not a token", string(t))
		}
	}
	return append(b, t...), nil
}

func appendDisplayString(b []byte, s DisplayString) ([]byte, error) {
	if !utf8.ValidString(string(s)) {
		return b, fmt.Errorf("sf: display string %q is not UTF-8", string(s))
	}
	const hex = "0123456789abcdef"
	b = append(b, '%', '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || c == '"' || c < 0x20 || c > 0x7e {
			b = append(b, '%', hex[c>>4], hex[c&0xf])
		} else {
			b = append(b, c)
		}
	}
	return append(b, '"'), nil
}

// ParseList parses s as a List of Items (RFC 9651 §4.2.1), the combined
// value of a field's lines. An empty s is an empty list. It returns an
// error for anything else that is not such a list; an Inner List is one.
// A parameter key given twice keeps its first place and its last value
// (§4.2.3.2).
func ParseList(s string) ([]Item, error) {
	p := parser{s: s}
	p.skipSP()
	var items []Item
	for !p.done() {
		it, err := p.item()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		p.skipOWS()
		if p.done() {
			break
		}
		if p.s[p.i] != ',' {
			return nil, p.errorf("a list member is followed by %q, not a comma", p.s[p.i])
		}
		p.i++
		p.skipOWS()
		if p.done() {
			return nil, p.errorf("a trailing comma")
		}
	}
	return items, nil
}

// parser is the state of ParseList: the input and the place in it.
type parser struct {
	s string
	i int
}

func (p *parser) done() bool { return p.i == len(p.s) }

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("sf: at byte %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *parser) skipSP() {
	for !p.done() && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *parser) skipOWS() {
	for !p.done() && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// item parses an Item (§4.2.3).
func (p *parser) item() (Item, error) {
	if !p.done() && p.s[p.i] == '(' {
		return Item{}, p.errorf("an inner list")
	}
	v, err := p.bareItem()
	if err != nil {
		return Item{}, err
	}
	it := Item{Value: v}
	for !p.done() && p.s[p.i] == ';' {
		p.i++
		p.skipSP()
		key, err := p.key()
		if err != nil {
			return Item{}, err
		}
		var value any = true
		if !p.done() && p.s[p.i] == '=' {
			p.i++
			if value, err = p.bareItem(); err != nil {
				return Item{}, err
			}
		}
		it.Params = setParam(it.Params, key, value)
	}
	return it, nil
}

// setParam sets key to value in params: in its place when it is there.
func setParam(params []Param, key string, value any) []Param {
	for i := range params {
		if params[i].Key == key {
			params[i].Value = value
			return params
		}
	}
	return append(params, Param{Key: key, Value: value})
}

// key parses a parameter key (§4.2.3.3).
func (p *parser) key() (string, error) {
	start := p.i
	if p.done() || !(isLower(p.s[p.i]) || p.s[p.i] == '*') {
		return "", p.errorf("no parameter key")
	}
	for !p.done() && isKeyChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i], nil
}

// bareItem parses a bare item (§4.2.3.1).
func (p *parser) bareItem() (any, error) {
	if p.done() {
		return nil, p.errorf("no item")
	}
	switch c := p.s[p.i]; {
	case c == '-' || isDigit(c):
		return p.number()
	case c == '"':
		return p.str()
	case c == ':':
		return p.byteSequence()
	case c == '?':
		if p.i+1 < len(p.s) && (p.s[p.i+1] == '0' || p.s[p.i+1] == '1') {
			p.i += 2
			return p.s[p.i-1] == '1', nil
		}
		return nil, p.errorf("a boolean that is neither ?0 nor ?1")
	case c == '@':
		p.i++
		v, err := p.number()
		if err != nil {
			return nil, err
		}
		n, ok := v.(int64)
		if !ok {
			return nil, p.errorf("a date that is no integer")
		}
		return Date(n), nil
	case c == '%':
		return p.displayString()
	case isAlpha(c) || c == '*':
		start := p.i
		for !p.done() && isTokenChar(p.s[p.i]) {
			p.i++
		}
		return Token(p.s[start:p.i]), nil
	}
	return nil, p.errorf("no item starts with %q", p.s[p.i])
}

// number parses an Integer or a Decimal (§4.2.4).
func (p *parser) number() (any, error) {
	neg := !p.done() && p.s[p.i] == '-'
	if neg {
		p.i++
	}
	start := p.i
	var n int64
	for !p.done() && isDigit(p.s[p.i]) {
		if p.i-start == 15 {
			return nil, p.errorf("an integer of more than 15 digits")
		}
		n = n*10 + int64(p.s[p.i]-'0')
		p.i++
	}
	if p.i == start {
		return nil, p.errorf("a number without digits")
	}
	if p.done() || p.s[p.i] != '.' {
		if neg {
			n = -n
		}
		return n, nil
	}
	if p.i-start > 12 {
		return nil, p.errorf("a decimal of more than 12 integer digits")
	}
	p.i++
	frac := p.i
	d := n * 1000
	scale := int64(100)
	for !p.done() && isDigit(p.s[p.i]) {
		if p.i-frac == 3 {
			return nil, p.errorf("a decimal of more than 3 fractional digits")
		}
		d += int64(p.s[p.i]-'0') * scale
		scale /= 10
		p.i++
	}
	if p.i == frac {
		return nil, p.errorf("a decimal without fractional digits")
	}
	if neg {
		d = -d
	}
	return Decimal(d), nil
}

// str parses a String (§4.2.5).
func (p *parser) str() (string, error) {
	p.i++ // the opening quote
	var b strings.Builder
	for !p.done() {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\':
			if p.done() || (p.s[p.i] != '"' && p.s[p.i] != '\\') {
				return "", p.errorf("a bad escape in a string")
			}
			b.WriteByte(p.s[p.i])
			p.i++
		case c == '"':
			return b.String(), nil
		case c < 0x20 || c > 0x7e:
			return "", p.errorf("a byte %#x in a string", c)
		default:
			b.WriteByte(c)
		}
	}
	return "", p.errorf("an open string")
}

// byteSequence parses a Byte Sequence (§4.2.7). Missing padding and
// non-zero pad bits are accepted, as the section asks.
func (p *parser) byteSequence() ([]byte, error) {
	p.i++ // the opening colon
	end := strings.IndexByte(p.s[p.i:], ':')
	if end < 0 {
		return nil, p.errorf("an open byte sequence")
	}
	enc := p.s[p.i : p.i+end]
	for i := 0; i < len(enc); i++ {
		if c := enc[i]; !(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=') {
			return nil, p.errorf("a byte %#x in a byte sequence", c)
		}
	}
	data, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(enc, "="))
	if err != nil {
		return nil, p.errorf("a byte sequence that is not base64: %v", err)
	}
	p.i += end + 1
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// displayString parses a Display String (§4.2.10).
func (p *parser) displayString() (DisplayString, error) {
	if p.i+1 >= len(p.s) || p.s[p.i+1] != '"' {
		return "", p.errorf("a %% not followed by a quote")
	}
	p.i += 2
	var b []byte
	for !p.done() {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '%':
			if p.i+2 > len(p.s) {
				return "", p.errorf("a short percent escape")
			}
			hi, ok1 := lowerHex(p.s[p.i])
			lo, ok2 := lowerHex(p.s[p.i+1])
			if !ok1 || !ok2 {
				return "", p.errorf("a bad percent escape")
			}
			b = append(b, hi<<4|lo)
			p.i += 2
		case c == '"':
			if !utf8.Valid(b) {
				return "", p.errorf("a display string that is not UTF-8")
			}
			return DisplayString(b), nil
		case c < 0x20 || c > 0x7e:
			return "", p.errorf("a byte %#x in a display string", c)
		default:
			b = append(b, c)
		}
	}
	return "", p.errorf("an open display string")
}

func lowerHex(c byte) (byte, bool) {
	switch {
	case isDigit(c):
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

func validKey(k string) bool {
	if k == "" || !(isLower(k[0]) || k[0] == '*') {
		return false
	}
	for i := 1; i < len(k); i++ {
		if !isKeyChar(k[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool   { return '0' <= c && c <= '9' }
func isLower(c byte) bool   { return 'a' <= c && c <= 'z' }
func isAlpha(c byte) bool   { return isLower(c) || ('A' <= c && c <= 'Z') }
func isKeyChar(c byte) bool { return isLower(c) || isDigit(c) || strings.IndexByte("_-.*", c) >= 0 }

// isTokenChar reports whether c may follow a token's first character:
// tchar, ":" or "/" (§4.2.6).
func isTokenChar(c byte) bool {
	return isAlpha(c) || isDigit(c) || strings.IndexByte("!#$%&'*+-.^_`|~:/", c) >= 0
}
