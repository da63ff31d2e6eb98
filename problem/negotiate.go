package problem

import (
	"strconv"
	"strings"
)

// Formats is a set of the formats a [Responder] offers: a union of
// FormatJSON and FormatXML. The zero value offers both.
type Formats uint8

const (
	// FormatJSON is application/problem+json (RFC 9457 §3). It is offered
	// whatever the set holds: it is the answer when nothing else is
	// acceptable.
	FormatJSON Formats = 1 << iota
	// FormatXML is application/problem+xml (RFC 9457 Appendix B), for
	// clients that prefer it, application/xml or text/xml.
	FormatXML
)

// format is a representation a problem can be written in.
type format uint8

const (
	formatJSON format = iota
	formatXML
	formatHTML
	numFormats
)

func (f format) String() string {
	switch f {
	case formatJSON:
		return "json"
	case formatXML:
		return "xml"
	case formatHTML:
		return "html"
	}
	return "format(" + strconv.Itoa(int(f)) + ")"
}

// mediaTypes are the media types that ask for each format. The first of
// each format is its label, the type its responses carry; the others are
// aliases: a client that accepts application/json or text/xml gets a
// problem in that syntax, labelled with the problem media type.
var mediaTypes = [...]struct {
	typ, sub string
	format   format
	label    bool
}{
	{"application", "problem+json", formatJSON, true},
	{"application", "json", formatJSON, false},
	{"application", "problem+xml", formatXML, true},
	{"application", "xml", formatXML, false},
	{"text", "xml", formatXML, false},
	{"text", "html", formatHTML, true},
}

// negotiate picks the format for a request's Accept header values (RFC 9110
// §12.5.1):
//
//  1. Each media type of mediaTypes takes the quality of the most
//     specific media range that matches it (type/subtype, then type/*, then
//     */*; the highest q among equally specific ones). Parameters other
//     than q are ignored.
//  2. A format takes the best quality of its media types, unless its label
//     (application/problem+json, application/problem+xml, text/html) gets
//     q=0: the client refuses that type, so the format is out, whatever an
//     alias or a wildcard says.
//  3. Only the formats offered are candidates: JSON always, XML when
//     formats is zero or holds FormatXML, HTML when html is true. When HTML
//     is not, a client
//     that names text/html and prefers it to every format, a browser, gets
//     JSON (unless it refuses JSON by step 2): browsers display JSON, but
//     Chromium refuses to display problem+xml, which browsers rank above
//     */* (application/xml;q=0.9).
//  4. The format with the highest quality wins; ties go to JSON, then XML,
//     then HTML.
//  5. When no format is acceptable, the answer is JSON: Accept is then
//     disregarded, as RFC 9110 §12.5.1 allows, and an error is never
//     answered with 406.
func negotiate(accept []string, formats Formats, html bool) format {
	if len(accept) == 0 {
		return formatJSON
	}
	var spec, q [len(mediaTypes)]int
	for _, header := range accept {
		s := header
		for s != "" {
			var typ, sub string
			var quality int
			var ok bool
			typ, sub, quality, ok, s = nextMediaRange(s)
			if !ok {
				continue
			}
			for i, m := range mediaTypes {
				sp := matchSpecificity(typ, sub, m.typ, m.sub)
				if sp == matchNone || sp < spec[i] {
					continue
				}
				if sp > spec[i] || quality > q[i] {
					spec[i], q[i] = sp, quality
				}
			}
		}
	}
	var best [numFormats]int
	for i, m := range mediaTypes {
		if spec[i] > matchNone {
			best[m.format] = max(best[m.format], q[i])
		}
	}
	var refused, named [numFormats]bool
	for i, m := range mediaTypes {
		if !m.label {
			continue
		}
		if spec[i] > matchNone && q[i] == 0 {
			best[m.format], refused[m.format] = 0, true
		}
		named[m.format] = spec[i] == matchExact
	}
	if formats != 0 && formats&FormatXML == 0 {
		best[formatXML] = 0
	}
	if !html {
		if named[formatHTML] && best[formatHTML] > best[formatJSON] && best[formatHTML] > best[formatXML] && !refused[formatJSON] {
			return formatJSON // a browser: JSON it can display
		}
		best[formatHTML] = 0
	}
	f := formatJSON
	for g := formatXML; g < numFormats; g++ {
		if best[g] > best[f] {
			f = g
		}
	}
	return f
}

// How specifically a media range matches a media type.
const (
	matchNone  = iota
	matchAny   // */*
	matchType  // type/*
	matchExact // type/subtype
)

// matchSpecificity returns how specifically the range typ/sub matches the
// media type t/s.
func matchSpecificity(typ, sub, t, s string) int {
	switch {
	case typ == "*" && sub == "*":
		return matchAny
	case !strings.EqualFold(typ, t):
		return matchNone
	case sub == "*":
		return matchType
	case strings.EqualFold(sub, s):
		return matchExact
	}
	return matchNone
}

// nextMediaRange parses the first element of an Accept list: a media range
// with its parameters. It returns the type, subtype, quality (0-1000), whether
// the element is usable, and the rest of the list. Elements that are not
// type/subtype, or whose q is not a valid qvalue, are unusable.
func nextMediaRange(s string) (typ, sub string, q int, ok bool, rest string) {
	elem, rest := cutUnquoted(trimOWS(s), ',')
	mr, params, _ := strings.Cut(elem, ";")
	typ, sub, found := strings.Cut(trimOWS(mr), "/")
	if !found || !isToken(typ) || !isToken(sub) || (typ == "*" && sub != "*") {
		return "", "", 0, false, rest
	}
	q = 1000
	for params != "" {
		var p string
		p, params = cutUnquoted(params, ';')
		name, value, _ := strings.Cut(p, "=")
		if strings.EqualFold(trimOWS(name), "q") {
			if q, ok = parseQ(trimOWS(value)); !ok {
				return "", "", 0, false, rest
			}
		}
	}
	return typ, sub, q, true, rest
}

// cutUnquoted splits s at the first sep outside a quoted string (RFC 9110
// §5.6.4), dropping the separator; rest is "" when there is none.
func cutUnquoted(s string, sep byte) (before, rest string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// parseQ parses a qvalue (RFC 9110 §12.4.2) into thousandths.
func parseQ(s string) (int, bool) {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	q := int(s[0]-'0') * 1000
	if len(s) == 1 {
		return q, true
	}
	if s[1] != '.' {
		return 0, false
	}
	scale := 100
	for i := 2; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	if q > 1000 {
		return 0, false
	}
	return q, true
}

func trimOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// isToken reports whether s is a non-empty RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}
