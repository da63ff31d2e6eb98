package retry

import (
	"net/http"
	"strings"
	"time"
)

// rateLimitReset returns the latest reset among the used-up limits of the
// RateLimit field in h (draft-ietf-httpapi-ratelimit-headers-11 §4.1): the
// items with r=0 and a t. It reports false when there is none, or the
// field does not parse as a Structured Field List (RFC 9651 §4.2: a
// field that fails to parse is ignored).
func rateLimitReset(h http.Header) (time.Duration, bool) {
	lines := h.Values("Ratelimit")
	if len(lines) == 0 {
		return 0, false
	}
	items, ok := parseSFList(strings.Join(lines, ","))
	if !ok {
		return 0, false
	}
	var reset int64
	found := false
	for _, it := range items {
		r, hasR := it.params["r"]
		t, hasT := it.params["t"]
		if hasR && hasT && r == 0 && t >= 0 {
			reset, found = max(reset, t), true
		}
	}
	// t is at most 999,999,999,999,999 s: more than a Duration holds.
	const maxSeconds = int64(1<<63-1) / int64(time.Second)
	return time.Duration(min(reset, maxSeconds)) * time.Second, found
}

// sfItem is a list member of a Structured Field: its integer parameters
// (others are parsed and left out).
type sfItem struct {
	params map[string]int64
}

// parseSFList parses s as a Structured Field List of items (RFC 9651
// §4.2.1) and reports whether it parsed. Inner lists, which the RateLimit
// field does not use, fail it.
func parseSFList(s string) ([]sfItem, bool) {
	p := sfParser{s: s}
	p.skip(" ")
	var items []sfItem
	for p.i < len(p.s) {
		it, ok := p.item()
		if !ok {
			return nil, false
		}
		items = append(items, it)
		p.skip(" \t")
		if p.i == len(p.s) {
			return items, true
		}
		if p.s[p.i] != ',' {
			return nil, false
		}
		p.i++
		p.skip(" \t")
		if p.i == len(p.s) {
			return nil, false // a trailing comma
		}
	}
	return items, true
}

type sfParser struct {
	s string
	i int
}

func (p *sfParser) skip(chars string) {
	for p.i < len(p.s) && strings.IndexByte(chars, p.s[p.i]) >= 0 {
		p.i++
	}
}

// item parses an item: a bare item and its parameters (§4.2.3).
func (p *sfParser) item() (sfItem, bool) {
	if _, ok := p.bareItem(); !ok {
		return sfItem{}, false
	}
	it := sfItem{params: map[string]int64{}}
	for p.i < len(p.s) && p.s[p.i] == ';' {
		p.i++
		p.skip(" ")
		key, ok := p.key()
		if !ok {
			return sfItem{}, false
		}
		delete(it.params, key) // a later parameter of the same key wins
		if p.i < len(p.s) && p.s[p.i] == '=' {
			p.i++
			v, ok := p.bareItem()
			if !ok {
				return sfItem{}, false
			}
			if n, isInt := v.(int64); isInt {
				it.params[key] = n
			}
		}
	}
	return it, true
}

// key parses a parameter key (§4.2.3.3).
func (p *sfParser) key() (string, bool) {
	start := p.i
	if p.i == len(p.s) || !(isLower(p.s[p.i]) || p.s[p.i] == '*') {
		return "", false
	}
	for p.i < len(p.s) && (isLower(p.s[p.i]) || isDigit(p.s[p.i]) || strings.IndexByte("_-.*", p.s[p.i]) >= 0) {
		p.i++
	}
	return p.s[start:p.i], true
}

// bareItem parses a bare item (§4.2.3.1): an int64 for an Integer, nil
// for the other kinds, which are checked and skipped.
func (p *sfParser) bareItem() (any, bool) {
	if p.i == len(p.s) {
		return nil, false
	}
	switch c := p.s[p.i]; {
	case c == '-' || isDigit(c):
		return p.number()
	case c == '"':
		return nil, p.str()
	case c == ':':
		end := strings.IndexByte(p.s[p.i+1:], ':')
		if end < 0 {
			return nil, false
		}
		p.i += end + 2
		return nil, true
	case c == '?':
		if p.i+1 < len(p.s) && (p.s[p.i+1] == '0' || p.s[p.i+1] == '1') {
			p.i += 2
			return nil, true
		}
		return nil, false
	case c == '@':
		p.i++
		if p.i == len(p.s) || !(p.s[p.i] == '-' || isDigit(p.s[p.i])) {
			return nil, false
		}
		v, ok := p.number()
		_, isInt := v.(int64)
		return nil, ok && isInt
	case isAlpha(c) || c == '*':
		for p.i < len(p.s) && isTokenChar(p.s[p.i]) {
			p.i++
		}
		return nil, true
	}
	return nil, false
}

// number parses an Integer or a Decimal (§4.2.4).
func (p *sfParser) number() (any, bool) {
	neg := false
	if p.s[p.i] == '-' {
		neg = true
		p.i++
	}
	start := p.i
	var n int64
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		if p.i-start == 15 {
			return nil, false // an Integer has at most 15 digits
		}
		n = n*10 + int64(p.s[p.i]-'0')
		p.i++
	}
	if p.i == start {
		return nil, false
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		if p.i-start > 12 {
			return nil, false
		}
		p.i++
		frac := p.i
		for p.i < len(p.s) && isDigit(p.s[p.i]) {
			p.i++
		}
		if n := p.i - frac; n < 1 || n > 3 {
			return nil, false
		}
		return nil, true // a Decimal
	}
	if neg {
		n = -n
	}
	return n, true
}

// str parses a String (§4.2.5).
func (p *sfParser) str() bool {
	p.i++ // the opening quote
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\':
			if p.i == len(p.s) || (p.s[p.i] != '"' && p.s[p.i] != '\\') {
				return false
			}
			p.i++
		case c == '"':
			return true
		case c < 0x20 || c > 0x7e:
			return false
		}
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isAlpha(c byte) bool { return isLower(c) || ('A' <= c && c <= 'Z') }

// isTokenChar reports whether c may follow a token's first character:
// tchar, ":" or "/" (§4.2.6).
func isTokenChar(c byte) bool {
	return isAlpha(c) || isDigit(c) || strings.IndexByte("!#$%&'*+-.^_`|~:/", c) >= 0
}
