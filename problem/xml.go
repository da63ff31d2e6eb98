package problem

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// XMLNamespace is the namespace of problem details in XML (RFC 9457
// Appendix B). It still names RFC 7807, which RFC 9457 replaced.
const XMLNamespace = "urn:ietf:rfc:7807"

var (
	_ xml.Marshaler   = (*Problem)(nil)
	_ xml.Unmarshaler = (*Problem)(nil)
)

// AppendXML appends the XML encoding of p to b, as RFC 9457 Appendix B
// describes: an XML declaration, then a <problem> element in the
// urn:ietf:rfc:7807 namespace holding one element per member, in the order of
// [Problem.AppendJSON]. An extension whose value is an array becomes an
// element of <i> elements; an object becomes an element of elements;
// anything else becomes text (numbers and booleans as JSON writes them, null
// as an empty element). An empty array, an empty object, null and "" all
// look alike in XML: an empty element.
//
// Text is escaped, and characters XML cannot carry become U+FFFD. An
// extension that cannot be encoded, whose name is not an XML Name without a
// colon, or that holds an object with such a key, is left out; the returned
// error names each member that was dropped.
func (p *Problem) AppendXML(b []byte) ([]byte, error) {
	b = append(b, `<?xml version="1.0" encoding="UTF-8"?><problem xmlns="urn:ietf:rfc:7807">`...)
	b, err := p.appendXMLMembers(b)
	return append(b, "</problem>"...), err
}

// MarshalXML implements [xml.Marshaler]: it writes the <problem> element
// of [Problem.AppendXML], byte for byte, without the XML declaration,
// which is the document's to write (xml.Marshal writes none; Echo's
// Context.XML writes [xml.Header]). The element is <problem> in the
// urn:ietf:rfc:7807 namespace whatever start names (a struct field's
// tag): RFC 9457 Appendix B fixes the name, and it is the one element
// [Problem.UnmarshalXML] reads; so tag such a field xml:"problem". The
// members are not indented, whatever the encoder's Indent. Unlike
// AppendXML, MarshalXML fails when an extension cannot be encoded, as
// [Problem.MarshalJSON] does.
func (p *Problem) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	members, err := p.appendXMLMembers(nil)
	if err != nil {
		return err
	}
	return e.EncodeElement(rawXML{members}, xml.StartElement{Name: xml.Name{Space: XMLNamespace, Local: "problem"}})
}

// rawXML is content that an xml.Encoder writes as it is.
type rawXML struct {
	Inner []byte `xml:",innerxml"`
}

// appendXMLMembers appends the elements of p's members, the content of
// its <problem> element.
func (p *Problem) appendXMLMembers(b []byte) ([]byte, error) {
	typ := p.Type
	if typ == "" {
		typ = AboutBlank
	}
	b = appendXMLElement(b, "type", typ)
	if p.Title != "" {
		b = appendXMLElement(b, "title", p.Title)
	}
	if p.Status != 0 {
		b = append(b, "<status>"...)
		b = strconv.AppendInt(b, int64(p.Status), 10)
		b = append(b, "</status>"...)
	}
	if p.Detail != "" {
		b = appendXMLElement(b, "detail", p.Detail)
	}
	if p.Instance != "" {
		b = appendXMLElement(b, "instance", p.Instance)
	}
	var errs []error
	if p.hasMembers() {
		var buf [16]string
		for _, k := range p.memberNames(buf[:0]) {
			var err error
			switch {
			case isStandardMember(k):
				err = errShadows
			case !isXMLName(k):
				err = errNotXMLName
			default:
				mark := len(b)
				if b, err = appendXMLValue(b, k, p.memberValue(k), 0); err != nil {
					b = b[:mark]
				}
			}
			if err != nil {
				errs = append(errs, &DroppedError{Member: k, Err: err})
			}
		}
	}
	return b, errors.Join(errs...)
}

var errNotXMLName = errors.New("its name is not an XML name")

func appendXMLElement(b []byte, name, text string) []byte {
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	b = appendXMLText(b, text)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

// appendXMLValue appends v as the element name.
func appendXMLValue(b []byte, name string, v any, depth int) ([]byte, error) {
	if depth > maxDepth {
		return b, errors.New("value nested too deeply")
	}
	switch v := v.(type) {
	case string:
		return appendXMLElement(b, name, v), nil
	case nil:
		return appendXMLElement(b, name, ""), nil
	case []string:
		b = append(b, '<')
		b = append(b, name...)
		b = append(b, '>')
		for _, s := range v {
			b = appendXMLElement(b, "i", s)
		}
		b = append(b, "</"...)
		b = append(b, name...)
		return append(b, '>'), nil
	case []any:
		b = append(b, '<')
		b = append(b, name...)
		b = append(b, '>')
		for _, e := range v {
			var err error
			if b, err = appendXMLValue(b, "i", e, depth+1); err != nil {
				return b, err
			}
		}
		b = append(b, "</"...)
		b = append(b, name...)
		return append(b, '>'), nil
	case map[string]any:
		b = append(b, '<')
		b = append(b, name...)
		b = append(b, '>')
		var buf [16]string
		for _, k := range sortedKeys(buf[:0], v) {
			if !isXMLName(k) {
				return b, fmt.Errorf("key %q is not an XML name", k)
			}
			var err error
			if b, err = appendXMLValue(b, k, v[k], depth+1); err != nil {
				return b, err
			}
		}
		b = append(b, "</"...)
		b = append(b, name...)
		return append(b, '>'), nil
	case bool, int, int64, int32, uint, uint64, uint32, float64, float32, json.Number:
		// Scalars: the text is what JSON would write.
		text, err := appendValue(nil, v, depth)
		if err != nil {
			return b, err
		}
		return appendXMLElement(b, name, string(text)), nil
	}
	// Anything else: encode it as JSON, read that back as plain values and
	// write those, so XML shows what JSON shows.
	data, err := appendValue(nil, v, depth)
	if err != nil {
		return b, err
	}
	plain, err := decodeAny(data)
	if err != nil {
		return b, err
	}
	return appendXMLValue(b, name, plain, depth+1)
}

// appendXMLText appends s as XML character data: &, < and > are escaped, a
// carriage return becomes &#xD; so that parsers keep it, and invalid UTF-8 and
// characters outside the XML Char production become U+FFFD.
func appendXMLText(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			var esc string
			switch {
			case c == '&':
				esc = "&amp;"
			case c == '<':
				esc = "&lt;"
			case c == '>':
				esc = "&gt;"
			case c == '\r':
				esc = "&#xD;"
			case c < 0x20 && c != '\t' && c != '\n':
				esc = "\uFFFD"
			default:
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, esc...)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !isXMLChar(r) {
			b = append(b, s[start:i]...)
			b = append(b, "\uFFFD"...)
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}

// isXMLChar reports whether r is in the XML 1.0 Char production.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// isXMLName reports whether s is an XML 1.0 Name without a colon, so that it
// names an element in the problem namespace. A name must pass the rules of
// both the fifth edition (§2.3) and the older, narrower ones that many
// parsers still apply (encoding/xml among them): ASCII names are checked
// here, others are also tried on encoding/xml.
func isXMLName(s string) bool {
	if s == "" {
		return false
	}
	ascii := true
	for i, r := range s {
		if r >= utf8.RuneSelf {
			ascii = false
		}
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		if !isNameStartChar(r) && (i == 0 || !isNameChar(r)) {
			return false
		}
	}
	if ascii {
		return true
	}
	_, err := xml.NewDecoder(strings.NewReader("<" + s + "/>")).Token()
	return err == nil
}

func isNameStartChar(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '_' ||
		r >= 0xC0 && r <= 0xD6 || r >= 0xD8 && r <= 0xF6 || r >= 0xF8 && r <= 0x2FF ||
		r >= 0x370 && r <= 0x37D || r >= 0x37F && r <= 0x1FFF || r >= 0x200C && r <= 0x200D ||
		r >= 0x2070 && r <= 0x218F || r >= 0x2C00 && r <= 0x2FEF || r >= 0x3001 && r <= 0xD7FF ||
		r >= 0xF900 && r <= 0xFDCF || r >= 0xFDF0 && r <= 0xFFFD || r >= 0x10000 && r <= 0xEFFFF
}

func isNameChar(r rune) bool {
	return r == '-' || r == '.' || r >= '0' && r <= '9' || r == 0xB7 ||
		r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}

// UnmarshalXML implements [xml.Unmarshaler] for a <problem> element in the
// urn:ietf:rfc:7807 namespace (or in none). As with JSON, a standard member
// that is not text, or a status that is not an integer from 100 to 599, is
// ignored, and an absent type is [AboutBlank]. Other elements of the
// namespace become extensions: text as a string, an element holding only <i>
// elements as []any, any other element with child elements as
// map[string]any. Elements of other namespaces, attributes, comments and
// elements named as a standard member in another case (<Status>) are
// ignored.
func (p *Problem) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	if start.Name.Local != "problem" || !ourNamespace(start.Name.Space) {
		return fmt.Errorf("problem: decoding XML: root element is {%s}%s, want {%s}problem", start.Name.Space, start.Name.Local, XMLNamespace)
	}
	*p = Problem{Type: AboutBlank}
	for {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("problem: decoding XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			v, err := decodeXMLElement(d, 0)
			if err != nil {
				return fmt.Errorf("problem: decoding XML: %w", err)
			}
			if !ourNamespace(t.Name.Space) || !isXMLName(t.Name.Local) {
				continue
			}
			s, isText := v.(string)
			switch name := t.Name.Local; name {
			case "type":
				if isText && s != "" {
					p.Type = s
				}
			case "title":
				if isText {
					p.Title = s
				}
			case "detail":
				if isText {
					p.Detail = s
				}
			case "instance":
				if isText {
					p.Instance = s
				}
			case "status":
				if n, err := strconv.Atoi(strings.TrimSpace(s)); isText && err == nil && n >= 100 && n <= 599 {
					p.Status = n
				}
			default:
				if isStandardMember(name) {
					continue // <Status>: ignored, as UnmarshalJSON ignores "Status"
				}
				if p.Extensions == nil {
					p.Extensions = make(map[string]any)
				}
				p.Extensions[name] = v
			}
		}
	}
}

func ourNamespace(ns string) bool { return ns == XMLNamespace || ns == "" }

// decodeXMLElement reads the content of the element just started, through
// its end tag.
func decodeXMLElement(d *xml.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("elements nested too deeply")
	}
	var (
		text     strings.Builder
		names    []string
		values   []any
		children bool
	)
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.StartElement:
			children = true
			v, err := decodeXMLElement(d, depth+1)
			if err != nil {
				return nil, err
			}
			if ourNamespace(t.Name.Space) && isXMLName(t.Name.Local) {
				names = append(names, t.Name.Local)
				values = append(values, v)
			}
		case xml.EndElement:
			if !children {
				return text.String(), nil
			}
			return xmlChildren(names, values), nil
		}
	}
}

// xmlChildren turns an element's children into an array when all are <i>,
// else into an object (a repeated name keeps its last value).
func xmlChildren(names []string, values []any) any {
	array := len(names) > 0
	for _, n := range names {
		if n != "i" {
			array = false
			break
		}
	}
	if array {
		return values
	}
	if len(names) == 0 {
		return ""
	}
	m := make(map[string]any, len(names))
	for i, n := range names {
		m[n] = values[i]
	}
	return m
}

// decodeXML decodes data, a whole XML document holding one problem, to
// its end: before and after the <problem> element only white space,
// comments and processing instructions may stand (XML 1.0 §2.1, §2.8), and
// before it a document type declaration, which is not read. Every error
// starts "problem: decoding XML: ". A document declared in an encoding
// other than UTF-8 is an error: RFC 9457 Appendix B's media type is read as
// UTF-8, as AppendXML writes it.
func decodeXML(data []byte) (*Problem, error) {
	var charset string
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		charset = label
		return nil, errXMLCharset
	}
	var p *Problem
	for first := true; ; first = false {
		tok, err := d.Token()
		switch {
		case err == io.EOF && p == nil:
			return nil, errors.New("problem: decoding XML: no root element")
		case err == io.EOF:
			return p, nil
		case errors.Is(err, errXMLCharset):
			return nil, fmt.Errorf("problem: decoding XML: encoding %q declared, and only UTF-8 is read", charset)
		case err != nil:
			return nil, fmt.Errorf("problem: decoding XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if p != nil {
				return nil, fmt.Errorf("problem: decoding XML: element <%s> after the root element", t.Name.Local)
			}
			p = new(Problem)
			if err := p.UnmarshalXML(d, t); err != nil {
				return nil, err // "problem: decoding XML: ..." already
			}
		case xml.CharData:
			if len(bytes.Trim(t, " \t\r\n")) == 0 { // the S production
				continue
			}
			if p == nil {
				return nil, errors.New("problem: decoding XML: text before the root element")
			}
			return nil, errors.New("problem: decoding XML: text after the root element")
		case xml.Directive:
			if p != nil {
				return nil, errors.New("problem: decoding XML: a declaration after the root element")
			}
		case xml.ProcInst:
			if !first && strings.EqualFold(t.Target, "xml") {
				return nil, errors.New("problem: decoding XML: an XML declaration after the start of the document")
			}
		}
	}
}

// errXMLCharset is what decodeXML's CharsetReader returns for an encoding
// that is not UTF-8.
var errXMLCharset = errors.New("not UTF-8")
