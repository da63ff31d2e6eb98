package problem

import (
	"cmp"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
)

// negotiateLanguage returns the language of cat, which has a matcher m,
// that best fits the Accept-Language lines: by q-value, each range falling
// back along its chain (de-CH to de), "*" and anything that matches none of
// the catalog's languages giving the base language. It reads within the
// bounds of Accept: the first maxAcceptBytes bytes of the lines, and in
// them the first maxAcceptRanges elements. Elements that do not parse are
// skipped, and so is one the byte bound cuts through.
func negotiateLanguage(m language.Matcher, cat *catalog.Catalog, lines []string) language.Tag {
	langs := cat.Languages()
	if len(lines) == 0 {
		return langs[0]
	}
	var buf [maxAcceptRanges]weighted
	ranges := buf[:0]
	left, n := maxAcceptBytes, 0
	for _, line := range lines {
		if left == 0 || n == maxAcceptRanges {
			break
		}
		cut := len(line) > left
		if cut {
			line = line[:left]
		}
		left -= len(line)
		for line != "" && n < maxAcceptRanges {
			var elem string
			var more bool
			elem, line, more = strings.Cut(line, ",")
			if cut && !more {
				break // cut through: not read in part
			}
			if elem = trimOWS(elem); elem == "" {
				continue
			}
			n++
			t, q, err := language.ParseAcceptLanguage(elem)
			if err != nil || len(t) == 0 { // unusable, or q=0
				continue
			}
			ranges = append(ranges, weighted{t[0], q[0]})
		}
	}
	if len(ranges) == 0 {
		return langs[0]
	}
	slices.SortStableFunc(ranges, func(a, b weighted) int { return cmp.Compare(b.q, a.q) })
	sorted := make([]language.Tag, len(ranges))
	for i, r := range ranges {
		sorted[i] = r.tag
	}
	_, i, _ := m.Match(sorted...)
	return langs[i]
}

// weighted is a language range of Accept-Language with its q-value.
type weighted struct {
	tag language.Tag
	q   float32
}

// translate returns v with its title in the language tag where the title
// is the catalog's own (the status phrase, or a catalog type's title), and
// with the items of its "errors" extension in tag where its cause can
// write them so (see translateInput): the problem itself when nothing
// changes, else a copy in *into. A title the problem gave stays as
// written, and so does the detail.
func translate(v, into *Problem, cat *catalog.Catalog, tag language.Tag) *Problem {
	title := v.Title
	if t, ok := cat.TypeByURI(v.Type); ok && title == t.Title {
		t, _ = cat.TypeByURIIn(tag, v.Type)
		title = t.Title
	} else if title == cat.Title(v.Status) {
		title = cat.TitleIn(tag, v.Status)
	}
	if title != v.Title {
		if v != into {
			*into = *v
		}
		into.Title = title
		v = into
	}
	return translateInput(v, into, tag)
}
