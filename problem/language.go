package problem

import (
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
)

// The bounds on the work an Accept-Language header costs, those of Accept:
// the first maxAcceptBytes bytes of its lines, and in them the first
// maxAcceptRanges elements.

// negotiateLanguage returns the language of cat, which has a matcher m,
// that best fits the Accept-Language lines: by q-value, each range falling
// back along its chain (de-CH to de), "*" and anything that matches none of
// the catalog's languages giving the base language. Elements that do not
// parse are skipped; one whose element the byte bound cuts is ignored.
func negotiateLanguage(m language.Matcher, cat *catalog.Catalog, lines []string) language.Tag {
	langs := cat.Languages()
	if len(lines) == 0 {
		return langs[0]
	}
	var buf [8]language.Tag
	var qs [8]float32
	tags, q := buf[:0], qs[:0]
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
			t, w, err := language.ParseAcceptLanguage(elem)
			if err != nil || len(t) == 0 { // unusable, or q=0
				continue
			}
			tags, q = append(tags, t[0]), append(q, w[0])
		}
	}
	if len(tags) == 0 {
		return langs[0]
	}
	order := make([]int, len(tags))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case q[a] > q[b]:
			return -1
		case q[a] < q[b]:
			return 1
		}
		return 0
	})
	sorted := make([]language.Tag, len(tags))
	for i, j := range order {
		sorted[i] = tags[j]
	}
	_, i, _ := m.Match(sorted...)
	return langs[i]
}

// translate returns v with its title in the language tag where the title
// is the catalog's own (the status phrase, or a catalog type's title): the
// problem itself when nothing changes, else a copy in *into. A title the
// problem gave stays as written, and so does the detail.
func translate(v, into *Problem, cat *catalog.Catalog, tag language.Tag) *Problem {
	title := v.Title
	if t, ok := cat.TypeByURI(v.Type); ok && title == t.Title {
		t, _ = cat.TypeByURIIn(tag, v.Type)
		title = t.Title
	} else if title == cat.Title(v.Status) {
		title = cat.TitleIn(tag, v.Status)
	}
	if title == v.Title {
		return v
	}
	if v != into {
		*into = *v
	}
	into.Title = title
	return into
}
