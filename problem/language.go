package problem

import (
	"hash/maphash"
	"strings"
	"sync/atomic"

	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/wire"
)

// langChoice is a language negotiated for an Accept-Language value, as
// Respond uses it. It is never changed once made.
type langChoice struct {
	header string // the Accept-Language value it was negotiated for
	tag    language.Tag
	base   bool // tag is the catalog's base language, whose texts need no translation
	// values are the header values a response in the language gets,
	// shared by those responses as Respond's other values are:
	// Content-Language (0) and, where the response has no Vary yet, Vary
	// (1 and 2).
	values wire.Set
}

// contentLanguage and vary return the values of Content-Language and of a
// new Vary for a response in l's language.
func (l *langChoice) contentLanguage() []string { return l.values.One(0) }
func (l *langChoice) vary() []string            { return l.values.Span(1, 3) }

const acceptLanguage = "Accept-Language"

// langCache remembers the language negotiated for the Accept-Language
// values a Responder has seen, so that a value seen before (and there are
// few: clients send the same ones over and over) costs a lookup, not a
// parse and a match. It is a table of langSlots slots, a slot per value
// by its hash, each holding the last value hashed there: bounded, safe
// for concurrent use, and a value that others keep pushing out is simply
// negotiated again. The zero value is ready to use.
//
// The table is that of one catalog, the Responder's. A Responder given
// another Catalog (between uses, since it is not safe while in use) starts
// a new table on its next response, so that the cache keeps alive no
// catalog but the one in use, and none of its choices: a choice holds no
// catalog.
type langCache struct {
	table atomic.Pointer[langTable]
}

// langTable holds the choices negotiated in cat.
type langTable struct {
	cat   *catalog.Catalog
	slots [langSlots]atomic.Pointer[langChoice]
}

const (
	langSlots = 128 // a power of two
	// maxCachedAccept bounds the Accept-Language values remembered, so
	// that the table holds at most a few dozen KiB: a longer value is
	// negotiated each time.
	maxCachedAccept = 256
)

var langSeed = maphash.MakeSeed()

// choose returns the language of cat, which has the matcher m (nil with
// one language), for the Accept-Language lines (see
// [catalog.Catalog.Negotiate]).
// The error, wire.ErrWrittenInPlace, reports values of a remembered choice
// that were written into in place (see [wire.Set.Intact]); the choice
// returned is a new one. It is reported once for each such write.
func (c *langCache) choose(cat *catalog.Catalog, m language.Matcher, lines []string) (_ *langChoice, err error) {
	var key string
	switch {
	case m == nil || len(lines) == 0:
		// One language, or nothing asked for: the base language.
	case len(lines) == 1 && len(lines[0]) <= maxCachedAccept:
		key = lines[0]
	default:
		return newLangChoice(cat, "", cat.Negotiate(lines)), nil
	}
	t := c.table.Load()
	if t == nil || t.cat != cat {
		// The first response, or the first since the Responder was given
		// another Catalog: a new table, and the one before goes with all
		// it holds.
		n := &langTable{cat: cat}
		if c.table.CompareAndSwap(t, n) {
			t = n
		} else if t = c.table.Load(); t.cat != cat {
			t = n // another catalog while in use: remember nothing
		}
	}
	slot := &t.slots[maphash.String(langSeed, key)&(langSlots-1)]
	old := slot.Load()
	if old != nil && old.header == key {
		if old.values.Intact() {
			return old, nil
		}
		// Replaced below; whoever replaces it reports it.
		err = wire.ErrWrittenInPlace
	}
	var tag language.Tag
	if key == "" {
		tag = cat.Languages()[0]
	} else {
		tag = cat.Negotiate(lines)
	}
	l := newLangChoice(cat, strings.Clone(key), tag)
	if !slot.CompareAndSwap(old, l) {
		err = nil // another request replaced it first
	}
	return l, err
}

// newLangChoice returns the choice of tag, a language of cat, for the
// Accept-Language value header.
func newLangChoice(cat *catalog.Catalog, header string, tag language.Tag) *langChoice {
	return &langChoice{
		header: header, tag: tag, base: tag == cat.Languages()[0],
		values: wire.NewSet(tag.String(), wire.Value(wire.Accept), acceptLanguage),
	}
}

// translate returns v with its title in lang where the title is the
// catalog's own (the status phrase, or typeTitle, the title of v's type in
// the catalog if isType; in the base language it is so already), and with
// the items of its "errors" member in lang where its cause can write them
// so (see translateInput): the problem itself when nothing changes, else a
// copy in *into. A title the problem gave stays as written, and so does
// the detail.
func translate(v, into *Problem, cat *catalog.Catalog, lang *langChoice, typeTitle string, isType bool) *Problem {
	title := v.Title
	switch {
	case lang.base:
	case isType && title == typeTitle:
		t, _ := cat.TypeByURIIn(lang.tag, v.Type)
		title = t.Title
	case title == cat.Title(v.Status):
		title = cat.TitleIn(lang.tag, v.Status)
	}
	if title != v.Title {
		if v != into {
			*into = *v
		}
		into.Title = title
		v = into
	}
	return translateInput(v, into, lang.tag)
}
