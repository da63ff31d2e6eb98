package catalog

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// translation holds the texts one added language gives. A text it does
// not give is the base language's.
type translation struct {
	statuses map[int]entryText // by status code
	types    []entryText       // by position in the catalog's types
}

// entryText is the translated text of an entry or a type; an empty field
// is not translated.
type entryText struct{ title, description string }

// parseLanguage checks a catalog file's language: a well-formed BCP 47
// tag, returned in canonical form.
func parseLanguage(raw json.RawMessage) (language.Tag, error) {
	s, ok := jsonString(raw)
	if !ok {
		return language.Und, fmt.Errorf("language %s is not a string", raw)
	}
	if strings.TrimSpace(s) == "" {
		return language.Und, errors.New("language is blank")
	}
	tag, err := language.Parse(s)
	if err != nil {
		return language.Und, fmt.Errorf("language %q is not a BCP 47 language tag", s)
	}
	if tag == language.Und {
		return language.Und, fmt.Errorf("language %q names no language", s)
	}
	return tag, nil
}

// Languages returns the languages of the catalog's texts: the language of
// the catalog file first ("en" when it names none, and for [Default]), then
// those its translations add, in the order they were added.
func (c *Catalog) Languages() []language.Tag {
	if c.langs == nil {
		return []language.Tag{language.English}
	}
	return slices.Clone(c.langs)
}

// Matcher returns a matcher of the catalog's languages, built once with
// the catalog, for negotiating Accept-Language: the index it returns is
// that of the language in [Catalog.Languages]. It returns nil when the
// catalog has one language, so there is nothing to negotiate.
func (c *Catalog) Matcher() language.Matcher { return c.matcher }

// Negotiate returns the language of the catalog's, one of
// [Catalog.Languages], that best fits an Accept-Language header, given as
// its lines (r.Header["Accept-Language"]) (RFC 9110 §12.5.4):
//
//  1. The ranges are ranked by q-value, highest first; ranges of equal
//     q-value keep their order, and a range with q=0 is left out.
//  2. The catalog's [Catalog.Matcher] picks, for the ranked ranges, the
//     language that fits best: each range falling back along its chain
//     (de-CH to de, zh-CN to zh-Hans) and to close relatives (gsw to de,
//     en-GB to en-US), as [MatchLanguage] gives it for one range.
//  3. A header without a range, or whose ranges match none of the
//     catalog's languages, gives the base language, the first of
//     [Catalog.Languages]; "*" names no language in particular, so it
//     gives the base language unless another range matches one. A
//     catalog with one language gives it, whatever the header.
//
// Malformed input is never an error: an element that does not parse, or
// whose q-value is not one, is skipped. Negotiate reads the first 1 KiB of
// the lines together and in it the first 32 elements that are not empty
// (browsers send far less), and skips an element the byte bound cuts
// through, so that the work a header costs is bounded.
func (c *Catalog) Negotiate(acceptLanguage []string) language.Tag {
	langs := c.Languages()
	if c.matcher == nil || len(acceptLanguage) == 0 {
		return langs[0]
	}
	type weighted struct {
		tag language.Tag
		q   float32
	}
	var buf [maxListElements]weighted
	ranges := buf[:0]
	listElements(acceptLanguage, func(elem string) {
		if t, q, err := language.ParseAcceptLanguage(elem); err == nil && len(t) > 0 { // q=0 gives none
			ranges = append(ranges, weighted{t[0], q[0]})
		}
	})
	if len(ranges) == 0 {
		return langs[0]
	}
	slices.SortStableFunc(ranges, func(a, b weighted) int { return cmp.Compare(b.q, a.q) })
	tags := make([]language.Tag, len(ranges))
	for i, r := range ranges {
		tags[i] = r.tag
	}
	// A match of confidence No is none, as for MatchLanguage: the matcher
	// then still names a language (nan, Min Nan, gets zh-Hans), but one
	// the client did not ask for.
	if _, i, conf := c.matcher.Match(tags...); conf != language.No {
		return langs[i]
	}
	return langs[0]
}

// MatchLanguage returns the index, among the languages m was made of
// (language.NewMatcher(langs)), of the language tag falls back to, and
// false when it falls back to none of them. It is the one rule by which
// this module maps a language to one of a set it has texts in (the
// catalog's, the fixed words of the docs, a validator's translations):
// the language m matches for tag, as [Catalog.Negotiate] chooses it for
// an Accept-Language of tag alone. So a tag falls back along its chain
// (de-CH to de, zh-CN to zh-Hans) and to close relatives a walk along
// [language.Tag.Parent] does not reach: gsw to de, en-GB to en-US,
// zh-Hant to zh (Simplified Chinese, which is read as a fallback where
// Traditional is asked for), sr-Latn to sr. A match of confidence
// language.No is none; a nil m matches nothing.
func MatchLanguage(m language.Matcher, tag language.Tag) (int, bool) {
	if m == nil {
		return 0, false
	}
	_, i, conf := m.Match(tag)
	if conf == language.No {
		return 0, false
	}
	return i, true
}

// The bounds on the work a list header costs, for [Catalog.Negotiate]
// and the pages' Accept.
const (
	maxListBytes    = 1 << 10 // of all lines together
	maxListElements = 32      // elements that are not empty
)

// listElements calls f with each element of the comma-separated lines of
// a header, trimmed of spaces and tabs, skipping empty ones, within the
// bounds: the first maxListBytes bytes of the lines, and in them the first
// maxListElements elements. An element the byte bound cuts through is not
// read in part.
func listElements(lines []string, f func(elem string)) {
	left, n := maxListBytes, 0
	for _, line := range lines {
		if left == 0 || n == maxListElements {
			return
		}
		cut := len(line) > left
		if cut {
			line = line[:left]
		}
		left -= len(line)
		for line != "" && n < maxListElements {
			var elem string
			var more bool
			elem, line, more = strings.Cut(line, ",")
			if cut && !more {
				return // cut through: not read in part
			}
			if elem = strings.Trim(elem, " \t"); elem != "" {
				n++
				f(elem)
			}
		}
	}
}

// text returns the translation of tag, or nil for the base language and
// any language the catalog does not have.
func (c *Catalog) text(tag language.Tag) *translation {
	for i := 1; i < len(c.langs); i++ {
		if c.langs[i] == tag {
			return c.texts[i-1]
		}
	}
	return nil
}

// TitleIn is [Catalog.Title] in the language tag, one of
// [Catalog.Languages]: the phrase a translation into tag gives, else that
// of the base language. A tag the catalog does not have gets the base
// language's.
func (c *Catalog) TitleIn(tag language.Tag, code int) string {
	if tr := c.text(tag); tr != nil && c.find(code) != nil {
		if t := tr.statuses[code].title; t != "" {
			return t
		}
	}
	return c.Title(code)
}

// LookupIn is [Catalog.Lookup] with the entry's phrase and description in
// the language tag, where a translation into tag gives them; otherwise
// they are the base language's.
func (c *Catalog) LookupIn(tag language.Tag, code int) (Entry, bool) {
	e, ok := c.Lookup(code)
	if tr := c.text(tag); ok && tr != nil {
		t := tr.statuses[code]
		e.Phrase = cmpOr(t.title, e.Phrase)
		e.Description = cmpOr(t.description, e.Description)
	}
	return e, ok
}

// TypeIn is [Catalog.Type] with the type's title and description in the
// language tag, where a translation into tag gives them; otherwise they
// are the base language's.
func (c *Catalog) TypeIn(tag language.Tag, code string) (Type, bool) {
	i, ok := c.typeCodes[code]
	if !ok {
		return Type{}, false
	}
	return c.typeIn(tag, i), true
}

// TypeByURIIn is [Catalog.TypeByURI] with the type's title and description
// in the language tag, as [Catalog.TypeIn] gives them.
func (c *Catalog) TypeByURIIn(tag language.Tag, uri string) (Type, bool) {
	i, ok := c.typeURIs[uri]
	if !ok {
		return Type{}, false
	}
	return c.typeIn(tag, i), true
}

func (c *Catalog) typeIn(tag language.Tag, i int) Type {
	t := c.types[i].own()
	if tr := c.text(tag); tr != nil {
		t.Title = cmpOr(tr.types[i].title, t.Title)
		t.Description = cmpOr(tr.types[i].description, t.Description)
	}
	return t
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// nonTexts are the fields of a catalog file that a translation may not
// give: they are not texts.
var nonTexts = []string{"typeBase", "codeMember", "status", "type", "retry", "retryAfter", "quotaPolicies"}

// WithTranslation reads a translation of the catalog's texts and returns
// the catalog with its language added; c is unchanged. A translation is a
// catalog file (see [Load]) that names its "language" (required, a BCP 47
// tag the catalog does not have yet) and gives only texts, for codes the
// catalog has:
//
//	{
//	  "language": "de",
//	  "statuses": [{"code": 429, "phrase": "Zu viele Anfragen"}],
//	  "types": [{"code": "APIGW.0308", "title": "Die Drosselungsschwelle ist erreicht"}]
//	}
//
// A status gives a phrase and may give a description; a type gives a
// title and may give a description. The rules of [Load] for texts hold. A
// code or text the translation leaves out keeps the base language's text.
//
// WithTranslation reads strictly: unknown fields, repeated fields or codes,
// a field that is not a text ("retry", "status", "typeBase", ...), a code
// the catalog lacks (a status it does not list, a type it does not have)
// and a language it has are errors that name the translation and the entry
// (catalog: translation "de": statuses[2] (code 429): ...). It reads at
// most [MaxSize] bytes.
func (c *Catalog) WithTranslation(r io.Reader) (*Catalog, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("catalog: translation: %w", err)
	}
	if len(raw) > MaxSize {
		return nil, fmt.Errorf("catalog: translation: larger than %d MiB (MaxSize); not read", MaxSize>>20)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil || top == nil {
		return nil, errors.New("catalog: translation: not a JSON object")
	}
	for _, name := range nonTexts {
		if _, ok := top[name]; ok {
			return nil, fmt.Errorf("catalog: translation: field %q is not a text; a translation gives only texts", name)
		}
	}
	fields, err := jsonObject(raw, "language", "statuses", "types")
	if err != nil {
		return nil, fmt.Errorf("catalog: translation: %w", err)
	}
	langRaw, ok := fields["language"]
	if !ok {
		return nil, errors.New(`catalog: translation: missing "language"`)
	}
	tag, err := parseLanguage(langRaw)
	if err != nil {
		return nil, fmt.Errorf("catalog: translation: %w", err)
	}
	langs := c.Languages()
	if slices.Contains(langs, tag) {
		return nil, fmt.Errorf("catalog: translation %q: the catalog has language %q already", tag, tag)
	}
	prefix := fmt.Sprintf("catalog: translation %q: ", tag)

	tr := &translation{statuses: make(map[int]entryText), types: make([]entryText, len(c.types))}
	var statusRaws, typeRaws []json.RawMessage
	if raw, ok := fields["statuses"]; ok {
		if raw[0] != '[' || json.Unmarshal(raw, &statusRaws) != nil {
			return nil, errors.New(prefix + `"statuses" is not an array`)
		}
	}
	if raw, ok := fields["types"]; ok {
		if raw[0] != '[' || json.Unmarshal(raw, &typeRaws) != nil {
			return nil, errors.New(prefix + `"types" is not an array`)
		}
	}
	seen := make(map[int]int)
	for i, raw := range statusRaws {
		code, err := c.statusText(raw, tr)
		if err == nil {
			if first, dup := seen[code]; dup {
				err = fmt.Errorf("duplicate code; first listed at statuses[%d]", first)
			}
		}
		if err != nil {
			if code == 0 {
				return nil, fmt.Errorf("%sstatuses[%d]: %w", prefix, i, err)
			}
			return nil, fmt.Errorf("%sstatuses[%d] (code %d): %w", prefix, i, code, err)
		}
		seen[code] = i
	}
	typeSeen := make(map[string]int)
	for i, raw := range typeRaws {
		code, err := c.typeText(raw, tr)
		if err == nil {
			if first, dup := typeSeen[code]; dup {
				err = fmt.Errorf("duplicate code; first listed at types[%d]", first)
			}
		}
		if err != nil {
			if code == "" {
				return nil, fmt.Errorf("%stypes[%d]: %w", prefix, i, err)
			}
			return nil, fmt.Errorf("%stypes[%d] (code %q): %w", prefix, i, code, err)
		}
		typeSeen[code] = i
	}

	out := *c
	out.langs = append(langs, tag)
	out.texts = append(slices.Clip(c.texts), tr)
	out.matcher = language.NewMatcher(out.langs)
	return &out, nil
}

// statusText checks one status of a translation and records its texts in
// tr. It returns the entry's code whenever the input has a valid one.
func (c *Catalog) statusText(raw json.RawMessage, tr *translation) (int, error) {
	e, _, err := decodeEntry(raw)
	if members, jerr := jsonObject(raw, "code", "phrase", "description", "retry", "retryAfter", "quotaPolicies"); jerr == nil {
		for _, name := range []string{"retry", "retryAfter", "quotaPolicies"} {
			if _, ok := members[name]; ok {
				return e.Code, fmt.Errorf("field %q is not a text; a translation gives only texts", name)
			}
		}
	}
	if err != nil {
		return e.Code, err
	}
	if c.find(e.Code) == nil {
		return e.Code, fmt.Errorf("code %d is not in the catalog", e.Code)
	}
	tr.statuses[e.Code] = entryText{title: e.Phrase, description: e.Description}
	return e.Code, nil
}

// typeText checks one type of a translation and records its texts in tr.
// It returns the type's code whenever the input has a valid one.
func (c *Catalog) typeText(raw json.RawMessage, tr *translation) (string, error) {
	var code string
	var lenient struct {
		Code json.RawMessage `json:"code"`
	}
	if json.Unmarshal(raw, &lenient) == nil {
		if s, ok := jsonString(lenient.Code); ok && checkCode(s) == nil {
			code = s
		}
	}
	if members, err := jsonObject(raw, "code", "title", "description", "status", "type", "retry", "retryAfter", "quotaPolicies"); err == nil {
		for _, name := range nonTexts {
			if _, ok := members[name]; ok {
				return code, fmt.Errorf("field %q is not a text; a translation gives only texts", name)
			}
		}
	}
	fields, err := jsonObject(raw, "code", "title", "description")
	if err != nil {
		return code, err
	}
	codeRaw, ok := fields["code"]
	if !ok {
		return code, errors.New(`missing "code"`)
	}
	s, ok := jsonString(codeRaw)
	if !ok {
		return code, fmt.Errorf("code %s is not a string", codeRaw)
	}
	if err := checkCode(s); err != nil {
		return code, err
	}
	i, ok := c.typeCodes[s]
	if !ok {
		return code, fmt.Errorf("code %q is not a type of the catalog", s)
	}
	var t entryText
	if t.title, ok, err = textField(fields, "title"); err != nil {
		return code, err
	} else if !ok || strings.TrimSpace(t.title) == "" {
		return code, errors.New(`missing "title"`)
	}
	if t.description, _, err = textField(fields, "description"); err != nil {
		return code, err
	}
	tr.types[i] = t
	return code, nil
}
