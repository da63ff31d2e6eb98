package problem

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync/atomic"
)

var (
	_ json.Marshaler   = (*Problem)(nil)
	_ json.Unmarshaler = (*Problem)(nil)
)

// AppendJSON appends the JSON encoding of p to b: the members type, title,
// status, detail and instance, in that order, then the extensions sorted by
// name. Members that are unset are left out, never written as null; an empty
// Type is written as "about:blank". Strings are escaped as encoding/json
// escapes them, including <, > and &.
//
// An extension that cannot be encoded, that would shadow a standard member
// (its name equals one without regard to case, see [Problem]), or whose
// name would come out as that of another (see [DroppedError]), is left
// out: the result is always one valid JSON object, each name appears in it
// once, and the returned error names each member that was dropped.
func (p *Problem) AppendJSON(b []byte) ([]byte, error) { return p.appendJSON(b, 0) }

// appendJSON is AppendJSON for a problem nested depth levels deep in
// another's extensions, so that the walker's depth bound holds across
// nested problems (a problem among its own extensions).
func (p *Problem) appendJSON(b []byte, depth int) ([]byte, error) {
	if c := p.compiled(); c != nil && p.Type == c.uri && p.Title == c.title {
		b = append(b, c.head...) // encoded once for the type (see compileType)
		b = appendStatus(b, p.Status)
	} else if h := blankHeadOf(p); h != nil {
		b = append(b, h.json...) // encoded once for the status (see keepBlankHead)
	} else {
		b = appendHead(b, p.Type, p.Title)
		b = appendStatus(b, p.Status)
	}
	if p.Detail != "" {
		b = append(b, `,"detail":`...)
		b = appendString(b, p.Detail)
	}
	if p.Instance != "" {
		b = append(b, `,"instance":`...)
		b = appendString(b, p.Instance)
	}
	var errs []error
	if c := p.compiled(); c != nil && c.codeJSON != "" && len(p.Extensions) == 0 {
		// A type's code member alone, encoded once (see compileType).
		b = append(b, ',')
		b = append(b, c.codeJSON...)
	} else if p.hasMembers() {
		var buf [16]string
		keys := p.memberNames(buf[:0])
		for i, k := range keys {
			if err := memberError(keys, i); err != nil {
				errs = append(errs, &DroppedError{Member: k, Err: err})
				continue
			}
			mark := len(b)
			b = append(b, ',')
			b = appendString(b, k)
			b = append(b, ':')
			var err error
			if b, err = p.appendMember(b, k, depth); err != nil {
				b = b[:mark]
				errs = append(errs, &DroppedError{Member: k, Err: err})
			}
		}
	}
	b = append(b, '}')
	if errs == nil {
		return b, nil
	}
	return b, errors.Join(errs...)
}

// appendHead appends the start of a problem's JSON: the opening brace, its
// type (about:blank when typ is empty) and its title, if any.
func appendHead(b []byte, typ, title string) []byte {
	b = append(b, `{"type":`...)
	if isBlank(typ) {
		b = append(b, `"about:blank"`...) // the most frequent type, with nothing to escape
	} else {
		b = appendString(b, typ)
	}
	if title != "" {
		b = append(b, `,"title":`...)
		b = appendString(b, title)
	}
	return b
}

// appendStatus appends a problem's status member, unless status is 0.
func appendStatus(b []byte, status int) []byte {
	if status == 0 {
		return b
	}
	b = append(b, `,"status":`...)
	if status >= 100 && status <= 999 {
		return append(b, byte('0'+status/100), byte('0'+status/10%10), byte('0'+status%10))
	}
	return strconv.AppendInt(b, int64(status), 10)
}

// A blankHead is the start of the JSON of the about:blank problems of one
// status whose title is a catalog's phrase for it, up to the status:
// `{"type":"about:blank","title":"Not Found","status":404`.
type blankHead struct {
	title, json string
}

// blankHeads holds, by status from 100 to 599, the blankHead of the first
// catalog phrase that Respond prepared an about:blank problem of that
// status with (see keepBlankHead): every about:blank problem Respond sends
// has its catalog's phrase as its title, and it is encoded once, not for
// each response. Its entries are never changed once stored; a problem
// with another title (another catalog's, a translation, a title of its
// own) is encoded member by member.
var blankHeads [500]atomic.Pointer[blankHead]

// blankHeadOf returns the blankHead p starts with, or nil.
func blankHeadOf(p *Problem) *blankHead {
	if !isBlank(p.Type) || p.Status < 100 || p.Status > 599 {
		return nil
	}
	if h := blankHeads[p.Status-100].Load(); h != nil && h.title == p.Title {
		return h
	}
	return nil
}

// keepBlankHead stores the blankHead of status and phrase, a catalog's
// phrase for it, unless one is stored for the status already.
func keepBlankHead(status int, phrase string) {
	if status < 100 || status > 599 || blankHeads[status-100].Load() != nil {
		return
	}
	h := &blankHead{title: phrase, json: string(appendStatus(appendHead(nil, AboutBlank, phrase), status))}
	blankHeads[status-100].CompareAndSwap(nil, h)
}

// MarshalJSON implements [json.Marshaler]. Unlike [Problem.AppendJSON] it
// fails when an extension cannot be encoded or would shadow a standard
// member, as json.Marshal fails for a map that holds a value it cannot
// encode.
func (p *Problem) MarshalJSON() ([]byte, error) {
	b, err := p.AppendJSON(nil)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// UnmarshalJSON implements [json.Unmarshaler]. It reads a problem details
// object as RFC 9457 §3.1 asks: a standard member whose value has the wrong
// JSON type is ignored, as if it were absent. A status must be an integer
// from 100 to 599 (404.0 counts as 404); other values are ignored. An absent
// type is [AboutBlank]. Every other member lands in Extensions, decoded as
// encoding/json decodes into any, with numbers as [json.Number] so that none
// loses precision, but for a name that equals a standard member's only
// without regard to case ("Status"): that one is ignored, as encoding would
// drop it. Input that is not a JSON object is an error; null leaves p
// unchanged.
func (p *Problem) UnmarshalJSON(data []byte) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return fmt.Errorf("problem: decoding JSON: %w", err)
	}
	if members == nil {
		return nil // null
	}
	*p = Problem{Type: AboutBlank}
	for name, raw := range members {
		switch name {
		case "type":
			if s, ok := jsonString(raw); ok && s != "" {
				p.Type = s
			}
		case "title":
			p.Title, _ = jsonString(raw)
		case "detail":
			p.Detail, _ = jsonString(raw)
		case "instance":
			p.Instance, _ = jsonString(raw)
		case "status":
			p.Status = jsonStatus(raw)
		default:
			if isStandardMember(name) {
				continue // "Status": not the member, and not sendable
			}
			v, err := decodeAny(raw)
			if err != nil {
				return fmt.Errorf("problem: decoding member %q: %w", name, err)
			}
			if p.Extensions == nil {
				p.Extensions = make(map[string]any)
			}
			p.Extensions[name] = v
		}
	}
	return nil
}

func jsonString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// jsonStatus returns the status a JSON value holds, or 0 when it holds none.
func jsonStatus(raw json.RawMessage) int {
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != math.Trunc(f) || f < 100 || f > 599 {
		return 0
	}
	return int(f)
}
