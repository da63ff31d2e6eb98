package catalog

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// RetryPolicy says whether a client may repeat a request that failed with a
// status.
type RetryPolicy uint8

const (
	// RetryNever: the client must change the request before repeating it.
	RetryNever RetryPolicy = iota
	// RetryAnytime: repeating the same request later may succeed.
	RetryAnytime
	// RetryAfterDelay: repeat the request after the time in Retry-After.
	RetryAfterDelay
)

var retryWords = [...]string{RetryNever: "never", RetryAnytime: "anytime", RetryAfterDelay: "after-delay"}

// String returns the policy's word in the catalog format: "never",
// "anytime" or "after-delay".
func (r RetryPolicy) String() string {
	if int(r) < len(retryWords) {
		return retryWords[r]
	}
	return fmt.Sprintf("RetryPolicy(%d)", uint8(r))
}

// MarshalText implements [encoding.TextMarshaler] with the policy's word.
func (r RetryPolicy) MarshalText() ([]byte, error) {
	if int(r) >= len(retryWords) {
		return nil, fmt.Errorf("catalog: invalid retry policy %d", uint8(r))
	}
	return []byte(retryWords[r]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]: it accepts "never",
// "anytime" and "after-delay".
func (r *RetryPolicy) UnmarshalText(text []byte) error {
	for i, w := range retryWords {
		if string(text) == w {
			*r = RetryPolicy(i)
			return nil
		}
	}
	return fmt.Errorf("unknown retry %q (want never, anytime or after-delay)", text)
}

// Entry describes one status code in a [Catalog].
type Entry struct {
	// Code is the status code, 100 to 599.
	Code int
	// Phrase is the reason phrase. It is the title of problems of type
	// "about:blank" with this status.
	Phrase string
	// Description explains the status for API docs.
	Description string
	// Retry says whether a client may repeat the request.
	Retry RetryPolicy
	// RetryAfter, when positive, is the Retry-After a response with this
	// status carries if nothing else sets one. It applies to
	// RetryAfterDelay entries only.
	RetryAfter time.Duration
	// QuotaPolicies are the quota policies a response with this status
	// advertises in its RateLimit-Policy field, when the problem sets none
	// (see problem.Responder). Nil, the default, advertises none.
	QuotaPolicies []QuotaPolicy
}

// own returns e with a copy of its quota policies, so that a catalog's
// entries stay its own when it hands them out. An entry without policies
// is returned as it is.
func (e Entry) own() Entry {
	e.QuotaPolicies = slices.Clone(e.QuotaPolicies)
	return e
}

// unused reports whether the entry is registered only to be reserved
// (RFC 9110 §15.4.7, §15.5.19), so that no response may carry its code.
func (e Entry) unused() bool { return e.Phrase == unusedPhrase }

const unusedPhrase = "(Unused)"

// Catalog is a table of status codes: their phrases, descriptions and retry
// guidance. A Catalog is immutable and safe for concurrent use.
//
// A code the catalog does not list (499, 520, ...) is still a valid status:
// its title is the name of its class, such as "Client Error" or "Server
// Error", and its retry guidance is that of the class's x00 code (RFC 9110
// §15: clients treat an unknown code like the x00 code of its class).
type Catalog struct {
	entries []Entry     // sorted by code
	index   [500]uint16 // code-100 -> 1 + position in entries; 0 = absent

	listed map[int]bool // the codes the catalog file lists; nil for Default, which is the table itself

	types     []Type         // in file order
	typeCodes map[string]int // code -> position in types
	typeURIs  map[string]int // URI -> position in types
	typeBase  string         // the file's typeBase, as written; "" when unset

	quotas bool // some entry or type has quota policies

	langs   []language.Tag   // base first; nil means English alone
	texts   []*translation   // texts[i] gives the texts of langs[i+1]
	matcher language.Matcher // of langs; nil with one language
}

// Default returns the catalog of every status code registered with
// IANA, with the RFC 9110 reason phrases (413 "Content Too Large", 422
// "Unprocessable Content", ...) and descriptions written for API docs.
//
// Decisions beyond the registry: 306 and 418 are listed as "(Unused)", as
// registered, and a response cannot carry them; 510 is "Not Extended", its
// RFC 2774 phrase, although RFC 2774 is historic; 104 "Upload Resumption
// Supported" is a temporary registration (draft-ietf-httpbis-resumable-upload)
// kept for lookups. No entry has a default Retry-After: how long clients
// should wait is a service's decision, made with [Load].
func Default() *Catalog { return defaultCatalog() }

var defaultCatalog = sync.OnceValue(func() *Catalog {
	return newCatalog(slices.Clone(defaultEntries))
})

func newCatalog(entries []Entry) *Catalog {
	c := &Catalog{entries: entries}
	slices.SortFunc(c.entries, func(a, b Entry) int { return cmp.Compare(a.Code, b.Code) })
	for i, e := range c.entries {
		c.index[e.Code-100] = uint16(i + 1)
		c.quotas = c.quotas || len(e.QuotaPolicies) > 0
	}
	return c
}

// HasQuotaPolicies reports whether an entry or a type of the catalog has
// quota policies (see [Entry.QuotaPolicies]), so that a writer can skip
// looking for them in a catalog that has none, as the default has none.
func (c *Catalog) HasQuotaPolicies() bool { return c.quotas }

// Lookup returns the entry the catalog lists for code, and whether it lists
// one.
func (c *Catalog) Lookup(code int) (Entry, bool) {
	if e := c.find(code); e != nil {
		return e.own(), true
	}
	return Entry{}, false
}

// find returns the entry for code, or nil; it does not copy it.
func (c *Catalog) find(code int) *Entry {
	if code < 100 || code > 599 {
		return nil
	}
	i := c.index[code-100]
	if i == 0 {
		return nil
	}
	return &c.entries[i-1]
}

// Title returns the title for a problem of type "about:blank" with the
// given status: the catalog's phrase, or for a code it does not list, the name of
// the code's class ("Client Error", "Server Error", ...). It returns "" for
// codes outside 100-599.
func (c *Catalog) Title(code int) string {
	if e := c.find(code); e != nil {
		return e.Phrase
	}
	if code < 100 || code > 599 {
		return ""
	}
	return classNames[code/100-1]
}

var classNames = [...]string{"Informational", "Successful", "Redirection", "Client Error", "Server Error"}

// Sendable reports whether a problem response may carry code: a 4xx or 5xx
// that the catalog does not list as "(Unused)" (306 and 418 in the default
// catalog). A catalog that gives such a code a phrase of its own makes it
// sendable.
func (c *Catalog) Sendable(code int) bool {
	if code < 400 || code > 599 {
		return false
	}
	e := c.find(code)
	return e == nil || !e.unused()
}

// Retry returns the retry guidance for a response with the given status:
// the policy and default Retry-After of the catalog's entry for code, or
// for a code it does not list, those of the x00 code of its class (RFC 9110
// §15). It returns RetryNever and 0 when neither is listed, and for codes
// outside 100-599.
func (c *Catalog) Retry(code int) (RetryPolicy, time.Duration) {
	e := c.find(code)
	if e == nil {
		if e = c.find(code / 100 * 100); e == nil {
			return RetryNever, 0
		}
	}
	return e.Retry, e.RetryAfter
}

// Subset returns a catalog of the entries keep accepts, such as only the
// 4xx and 5xx codes for an API's docs. The codes it leaves out follow the
// unknown-code rule in the new catalog.
func (c *Catalog) Subset(keep func(Entry) bool) *Catalog {
	var entries []Entry
	for _, e := range c.entries {
		if keep(e.own()) {
			entries = append(entries, e)
		}
	}
	sub := newCatalog(entries).withTypes(c.types)
	sub.listed = c.listed
	sub.typeBase = c.typeBase
	sub.langs, sub.texts, sub.matcher = c.langs, c.texts, c.matcher
	return sub
}

// Listed returns, in code order, the entries the catalog file lists: those
// [Load] read from its "statuses", not those it adds from the default
// table. For [Default], which is the table itself, it returns every entry;
// a [Catalog.Subset] lists those of its entries that the catalog it was
// made from lists. These are the statuses the docs describe by default
// ([Catalog.Markdown], [Catalog.OpenAPI]): what the service sends.
func (c *Catalog) Listed() iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		for _, e := range c.entries {
			if c.lists(e.Code) && !yield(e.own()) {
				return
			}
		}
	}
}

// lists reports whether the catalog file lists code (see Listed).
func (c *Catalog) lists(code int) bool { return c.listed == nil || c.listed[code] }

// All returns the catalog's entries in code order.
func (c *Catalog) All() iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		for _, e := range c.entries {
			if !yield(e.own()) {
				return
			}
		}
	}
}

// MaxSize is the largest input [Load] reads: 4 MiB. The default catalog
// written out as JSON takes 12 KiB, and all 500 codes with a 1 KiB
// description each would take about half a MiB; the rest is room for
// catalogs that come to hold more (titles in several languages, tables of
// error codes).
const MaxSize = 4 << 20

// Load reads a catalog in JSON and returns the default catalog with the
// entries it lists put in their place:
//
//	{
//	  "statuses": [
//	    {"code": 400, "phrase": "BadRequest", "description": "The request is invalid.", "retry": "never"},
//	    {"code": 429, "phrase": "TooManyRequests", "retry": "after-delay", "retryAfter": 30},
//	    {"code": 504, "phrase": "ServerTimeout", "retry": "anytime"}
//	  ]
//	}
//
// Each entry needs a code (100-599, once per file) and a phrase (not blank,
// without control characters). "description", "retry" ("never", "anytime",
// "after-delay") and "retryAfter" (whole seconds, not negative, only with
// after-delay) may be left out; they then keep the default catalog's
// values, or for a code the default does not list, no description and the
// retry guidance of the class's x00 code. Descriptions may not hold control
// characters either, so that each fits in a table cell.
//
// A catalog may also list error-code types, the vendor's own problem
// types, which [Catalog.Type] looks up:
//
//	{
//	  "typeBase": "https://docs.example.com/errors/",
//	  "codeMember": "code",
//	  "statuses": [],
//	  "types": [
//	    {"code": "APIGW.0301", "status": 401, "title": "Incorrect IAM authentication information",
//	     "description": "The token is missing, malformed or expired.", "retry": "never"},
//	    {"code": "APIGW.0308", "status": 429, "title": "The throttling threshold has been reached",
//	     "retry": "after-delay", "retryAfter": 10}
//	  ]
//	}
//
// Each type needs a code (a string, once per file, printable, not blank), a
// status the catalog can send (see [Catalog.Sendable], with the file's own
// statuses) and a title (not blank, without control characters).
// "description" is optional text. "type" is its URI: absolute, or relative
// to "typeBase"; without it the URI is typeBase followed by the code, so
// one of the two is needed, and no two types may share a URI. Both "type"
// and "typeBase" must be URI references by the rule of
// [CheckURIReference], the one by which package problem reports a type it
// sends (ASCII only: a character beyond it is percent-encoded). A URI under
// [IANAPrefix] is refused: the types registered there are built in
// ([IANA]); so is about:blank, the type of problems without one.
// "retry" and "retryAfter" follow the rules of an entry's; left
// out, they are those of the type's status. "codeMember" names the
// extension member that carries a type's code, "code" by default; it may
// not be the name of a standard member in any case ("Status", "TYPE").
// "language" is the language of the file's texts, a BCP 47 tag, "en" by
// default; [Catalog.WithTranslation] adds others.
//
// A status entry and a type may declare the vendor's quota policies, which
// a response advertises in its RateLimit-Policy field
// (draft-ietf-httpapi-ratelimit-headers-11 §3; see [QuotaPolicy]):
//
//	{"code": 429, "phrase": "TooManyRequests", "retry": "after-delay",
//	 "quotaPolicies": [{"name": "default", "quota": 100, "window": 60, "unit": "requests"}]}
//
// Each policy needs a name (printable ASCII, not empty, once per list) and
// a quota (a whole number from 0 to 999,999,999,999,999); "window" (whole
// seconds, positive) and "unit" (a token, such as "requests" or
// "content-bytes") may be left out, and then none is sent. A type that
// declares no "quotaPolicies" has its status's, as it has its retry
// guidance; one that declares an empty list has none.
// The order of the fields does not matter; "statuses" is required, even
// if empty.
//
// Load reads strictly: unknown fields, repeated fields, trailing data and
// any entry or type that breaks a rule above are errors, and an error names
// the entry by its index and code (catalog: statuses[1] (code 429): ...,
// catalog: types[3] (code "APIGW.0301"): ...). It reads the input as a
// stream, one entry at a time, and at most [MaxSize] bytes of it: a larger
// input is an error that says so.
func Load(r io.Reader) (*Catalog, error) {
	in := &io.LimitedReader{R: r, N: MaxSize + 1}
	cat, err := load(json.NewDecoder(in))
	if in.N == 0 { // read MaxSize+1 bytes: too many, whatever they held
		return nil, fmt.Errorf("catalog: larger than %d MiB (MaxSize); not read", MaxSize>>20)
	}
	return cat, err
}

// load is Load on a decoder of the input.
func load(dec *json.Decoder) (*Catalog, error) {
	catalogError := func(err error) error {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("catalog: %w", err)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err) // EOF: an empty input
	}
	if tok != json.Delim('{') {
		return nil, errors.New("catalog: not a JSON object")
	}

	base := Default()
	entries := slices.Clone(base.entries)
	pos := make(map[int]int, len(entries)) // code -> index in entries
	for i, e := range entries {
		pos[e.Code] = i
	}
	seen := make(map[int]int) // code -> index in file
	var retryUnset []int      // codes new to the default that need their class's policy
	statuses := false         // seen
	fieldSeen := make(map[string]bool)
	var typeRaws []json.RawMessage
	settings := typeSettings{codeMember: DefaultCodeMember}
	lang := language.English
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, catalogError(err)
		}
		name := tok.(string)
		switch name {
		case "statuses", "types", "typeBase", "codeMember", "language":
		default:
			// Names are exact (encoding/json alone would match "Statuses").
			return nil, fmt.Errorf("catalog: unknown field %q", name)
		}
		if fieldSeen[name] {
			// encoding/json would keep the last; which one the author
			// meant is anyone's guess.
			return nil, fmt.Errorf("catalog: field %q appears more than once", name)
		}
		fieldSeen[name] = true
		switch name {
		case "language":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, catalogError(err)
			}
			if lang, err = parseLanguage(raw); err != nil {
				return nil, fmt.Errorf("catalog: %w", err)
			}
			continue
		case "typeBase", "codeMember":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, catalogError(err)
			}
			if name == "typeBase" {
				settings.base, err = parseTypeBase(raw)
				settings.baseText, _ = jsonString(raw)
			} else {
				settings.codeMember, err = parseCodeMember(raw)
			}
			if err != nil {
				return nil, err
			}
			continue
		case "types":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, catalogError(err)
			}
			if raw[0] != '[' || json.Unmarshal(raw, &typeRaws) != nil {
				return nil, errors.New(`catalog: "types" is not an array`)
			}
			continue
		}
		statuses = true

		tok, err = dec.Token()
		switch {
		case err != nil:
			return nil, catalogError(err)
		case tok == nil: // null
			return nil, errors.New(`catalog: missing "statuses" array`)
		case tok != json.Delim('['):
			return nil, errors.New(`catalog: "statuses" is not an array`)
		}
		for i := 0; dec.More(); i++ {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, catalogError(err)
			}
			e, set, err := decodeEntry(raw)
			if err != nil {
				return nil, entryError(i, e.Code, err)
			}
			if first, dup := seen[e.Code]; dup {
				return nil, entryError(i, e.Code, fmt.Errorf("duplicate code; first listed at statuses[%d]", first))
			}
			seen[e.Code] = i

			j, known := pos[e.Code]
			if known {
				old := entries[j]
				if !set.description {
					e.Description = old.Description
				}
				if !set.retry {
					e.Retry = old.Retry
				}
				if !set.retryAfter {
					e.RetryAfter = old.RetryAfter
				}
				if !set.quotaPolicies {
					e.QuotaPolicies = old.QuotaPolicies
				}
				entries[j] = e
			} else {
				if !set.retry {
					retryUnset = append(retryUnset, e.Code)
				}
				pos[e.Code] = len(entries)
				entries = append(entries, e)
			}
			if e.RetryAfter > 0 && e.Retry != RetryAfterDelay && (set.retry || known) {
				return nil, entryError(i, e.Code, fmt.Errorf("retryAfter needs retry %q, not %q", RetryAfterDelay, e.Retry))
			}
		}
		if _, err := dec.Token(); err != nil { // ]
			return nil, catalogError(err)
		}
	}
	if _, err := dec.Token(); err != nil { // }
		return nil, catalogError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("catalog: unexpected data after the top-level object")
	}
	if !statuses {
		return nil, errors.New(`catalog: missing "statuses" array`)
	}
	for _, code := range retryUnset {
		e := &entries[pos[code]]
		e.Retry = entries[pos[code/100*100]].Retry
		if e.RetryAfter > 0 && e.Retry != RetryAfterDelay {
			return nil, entryError(seen[code], code, fmt.Errorf("retryAfter needs retry %q, and the %d class's is %q", RetryAfterDelay, code/100*100, e.Retry))
		}
	}
	cat := newCatalog(entries)
	types, err := decodeTypes(typeRaws, settings, cat)
	if err != nil {
		return nil, err
	}
	cat.langs = []language.Tag{lang}
	cat.listed = make(map[int]bool, len(seen))
	for code := range seen {
		cat.listed[code] = true
	}
	cat.typeBase = settings.baseText
	return cat.withTypes(types), nil
}

func entryError(i, code int, err error) error {
	if code == 0 {
		return fmt.Errorf("catalog: statuses[%d]: %w", i, err)
	}
	return fmt.Errorf("catalog: statuses[%d] (code %d): %w", i, code, err)
}

type entryFields struct{ description, retry, retryAfter, quotaPolicies bool }

// maxRetryAfter is the largest delay a time.Duration holds, in seconds.
const maxRetryAfter = math.MaxInt64 / int64(time.Second)

// jsonObject decodes a JSON object and checks that its member names are
// among allowed, matched exactly (encoding/json alone matches names without
// regard to case).
func jsonObject(raw json.RawMessage, allowed ...string) (map[string]json.RawMessage, error) {
	var members map[string]json.RawMessage
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &members) != nil {
		return nil, errors.New("not a JSON object")
	}
	var unknown []string
	for name := range members {
		if !slices.Contains(allowed, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, fmt.Errorf("unknown field %q", unknown[0])
	}
	if name, ok := repeatedMember(raw); ok {
		// encoding/json keeps the last value of a repeated name; which one
		// the author meant is anyone's guess.
		return nil, fmt.Errorf("field %q appears more than once", name)
	}
	return members, nil
}

// repeatedMember returns the first member name that the JSON object raw,
// which is known to be valid, holds more than once.
func repeatedMember(raw json.RawMessage) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return "", false
	}
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		name, _ := tok.(string)
		if seen[name] {
			return name, true
		}
		seen[name] = true
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return "", false
		}
	}
	return "", false
}

// decodeEntry decodes and checks one catalog entry. The returned entry's
// Code is set whenever the input has a valid code, so errors can name it.
func decodeEntry(raw json.RawMessage) (Entry, entryFields, error) {
	var e Entry
	var set entryFields
	var lenient struct {
		Code json.RawMessage `json:"code"`
	}
	if json.Unmarshal(raw, &lenient) == nil {
		if n, ok := jsonInt(lenient.Code); ok && n >= 100 && n <= 599 {
			e.Code = int(n)
		}
	}

	fields, err := jsonObject(raw, "code", "phrase", "description", "retry", "retryAfter", "quotaPolicies")
	if err != nil {
		return e, set, err
	}
	codeRaw, ok := fields["code"]
	if !ok {
		return e, set, errors.New(`missing "code"`)
	}
	if n, ok := jsonInt(codeRaw); !ok || n < 100 || n > 599 {
		return e, set, fmt.Errorf("code %s is not a status code from 100 to 599", codeRaw)
	}

	phraseRaw, ok := fields["phrase"]
	if !ok {
		return e, set, errors.New(`missing "phrase"`)
	}
	phrase, ok := jsonString(phraseRaw)
	switch {
	case !utf8.Valid(phraseRaw):
		return e, set, errors.New("phrase is not valid UTF-8")
	case !ok:
		return e, set, fmt.Errorf("phrase %s is not a string", phraseRaw)
	case strings.TrimSpace(phrase) == "":
		return e, set, errors.New("phrase is blank")
	}
	if err := checkText(phrase); err != nil {
		return e, set, fmt.Errorf("phrase %w", err)
	}
	e.Phrase = phrase

	if raw, ok := fields["description"]; ok {
		d, ok := jsonString(raw)
		if !utf8.Valid(raw) {
			return e, set, errors.New("description is not valid UTF-8")
		}
		if !ok {
			return e, set, fmt.Errorf("description %s is not a string", raw)
		}
		if err := checkText(d); err != nil {
			return e, set, fmt.Errorf("description %w", err)
		}
		e.Description, set.description = d, true
	}
	if raw, ok := fields["retry"]; ok {
		word, ok := jsonString(raw)
		if !ok {
			return e, set, fmt.Errorf("retry %s is not a string", raw)
		}
		if err := e.Retry.UnmarshalText([]byte(word)); err != nil {
			return e, set, err
		}
		set.retry = true
	}
	if raw, ok := fields["retryAfter"]; ok {
		s, ok := jsonInt(raw)
		switch {
		case !ok:
			return e, set, fmt.Errorf("retryAfter %s is not a whole number of seconds", raw)
		case s < 0:
			return e, set, fmt.Errorf("retryAfter %d is negative", s)
		case s > maxRetryAfter:
			return e, set, fmt.Errorf("retryAfter %d is too large", s)
		}
		e.RetryAfter, set.retryAfter = time.Duration(s)*time.Second, true
	}
	if raw, ok := fields["quotaPolicies"]; ok {
		if e.QuotaPolicies, err = decodeQuotaPolicies(raw); err != nil {
			return e, set, err
		}
		if len(e.QuotaPolicies) == 0 {
			e.QuotaPolicies = nil
		}
		set.quotaPolicies = true
	}
	return e, set, nil
}

// jsonInt returns the integer a JSON value holds, if it is a number that
// fits an int64 (404 and 4.04e2 do, 404.5 and "404" do not). raw is valid
// JSON, as encoding/json hands it over, so a value that starts like a
// number is one.
func jsonInt(raw json.RawMessage) (int64, bool) {
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0, false
	}
	if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// jsonString returns the string a JSON value holds, if it is a string.
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

// checkText rejects control characters. (Invalid UTF-8 is caught in the raw
// JSON, since decoding replaces it.)
func checkText(s string) error {
	for i, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("has control character %U at byte %d", r, i)
		}
	}
	return nil
}
