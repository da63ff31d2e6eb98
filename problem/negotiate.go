package problem

import (
	"strconv"
	"strings"

	"github.com/problemkit/problemkit/internal/field"
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
//     than q are ignored. Only the ranges within the bounds count (see
//     rangeReader).
//  2. A format takes the best quality of its media types, unless its label
//     (application/problem+json, application/problem+xml, text/html) gets
//     q=0: the client refuses that type, so the format is out, whatever an
//     alias or a wildcard says.
//  3. Only the formats offered are candidates: JSON always, XML when
//     formats offers it, HTML when html is true. When HTML is not, a client
//     that names text/html and prefers it to every format, a browser, gets
//     JSON (unless it refuses JSON by step 2): browsers display JSON, but
//     Chromium refuses to display problem+xml, which browsers rank above
//     */* (application/xml;q=0.9).
//  4. The format with the highest quality wins; ties go to JSON, then XML,
//     then HTML.
//  5. When no format is acceptable, the answer is JSON: Accept is then
//     disregarded, as RFC 9110 §12.5.1 allows, and an error is never
//     answered with 406.
//
// The values most requests carry (none, */*, or one of the media types
// of JSON and XML alone) are answered without parsing; negotiateRanges
// gives the same answer for them.
func negotiate(accept []string, formats Formats, html bool) format {
	if len(accept) == 0 {
		return formatJSON
	}
	if len(accept) == 1 {
		switch accept[0] {
		case "", "*/*", "application/json", "application/problem+json":
			return formatJSON
		case "application/xml", "application/problem+xml", "text/xml":
			if formats.offersXML() {
				return formatXML
			}
			return formatJSON
		}
	}
	return negotiateRanges(accept, formats, html)
}

// offersXML reports whether f offers XML: when it is zero or holds
// FormatXML.
func (f Formats) offersXML() bool { return f == 0 || f&FormatXML != 0 }

// negotiateRanges is negotiate without the shortcut for common values.
func negotiateRanges(accept []string, formats Formats, html bool) format {
	var spec, q [len(mediaTypes)]int
	rr := rangeReader{lines: accept, left: maxAcceptBytes}
	for {
		r, ok := rr.next()
		if !ok {
			break
		}
		for i, m := range mediaTypes {
			sp := matchSpecificity(r.typ, r.sub, m.typ, m.sub)
			if sp == matchNone || sp < spec[i] {
				continue
			}
			if sp > spec[i] || r.q > q[i] {
				spec[i], q[i] = sp, r.q
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
	if !formats.offersXML() {
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

// The bounds on the work an Accept header costs. Browsers send less than
// 200 bytes and 10 ranges; Go's server admits header sections of 1 MiB.
const (
	maxAcceptBytes  = 1024 // of all Accept lines together
	maxAcceptRanges = 32   // list elements that are not empty
)

// mediaRange is a media range of an Accept header with its quality, in
// thousandths.
type mediaRange struct {
	typ, sub string
	q        int
}

// rangeReader reads the media ranges of Accept header lines within the
// bounds: the first maxAcceptBytes bytes of the lines, and in them the
// first maxAcceptRanges elements; the rest is ignored. The element the
// byte bound cuts through is ignored too, so that no range is read in part
// (application/xml;q=0 as application/xml). Empty and unusable elements
// count toward the range bound, but yield nothing.
type rangeReader struct {
	lines []string // the lines not yet begun
	s     string   // the rest of the current line
	cut   bool     // s ends where the byte bound cut its line
	left  int      // bytes left to read
	n     int      // non-empty elements read
}

// next returns the next usable media range, or false when there is none
// within the bounds.
func (rr *rangeReader) next() (mediaRange, bool) {
	for rr.n < maxAcceptRanges {
		if rr.s == "" {
			if len(rr.lines) == 0 || rr.left == 0 {
				break
			}
			rr.s, rr.lines = rr.lines[0], rr.lines[1:]
			if len(rr.s) > rr.left {
				rr.s, rr.cut = rr.s[:rr.left], true
			}
			rr.left -= len(rr.s)
			continue
		}
		elem, rest, found := cutUnquoted(rr.s, ',')
		rr.s = rest
		if !found && rr.cut {
			break // cut by the byte bound
		}
		if elem = trimOWS(elem); elem == "" {
			continue
		}
		rr.n++
		if r, ok := parseMediaRange(elem); ok {
			return r, true
		}
	}
	rr.s, rr.lines = "", nil
	return mediaRange{}, false
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

// parseMediaRange parses an element of an Accept list: a media range with
// its parameters. Elements that are not type/subtype, or whose q is not a
// valid qvalue, are unusable.
func parseMediaRange(elem string) (mediaRange, bool) {
	mr, params, _ := strings.Cut(elem, ";")
	typ, sub, found := strings.Cut(trimOWS(mr), "/")
	if !found || !field.IsToken(typ) || !field.IsToken(sub) || (typ == "*" && sub != "*") {
		return mediaRange{}, false
	}
	r := mediaRange{typ: typ, sub: sub, q: 1000}
	for params != "" {
		var p string
		p, params, _ = cutUnquoted(params, ';')
		name, value, _ := strings.Cut(p, "=")
		if strings.EqualFold(trimOWS(name), "q") {
			var ok bool
			if r.q, ok = parseQ(trimOWS(value)); !ok {
				return mediaRange{}, false
			}
		}
	}
	return r, true
}

// cutUnquoted splits s at the first sep outside a quoted string (RFC 9110
// §5.6.4), dropping the separator, and reports whether there was one.
func cutUnquoted(s string, sep byte) (before, rest string, found bool) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
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
