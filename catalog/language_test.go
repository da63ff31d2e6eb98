package catalog_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
)

const germanTypes = `{
  "language": "de",
  "statuses": [
    {"code": 429, "phrase": "Zu viele Anfragen", "description": "Der Client hat zu viele Anfragen gesendet."},
    {"code": 404, "phrase": "Nicht gefunden"}
  ],
  "types": [
    {"code": "APIGW.0308", "title": "Die Drosselungsschwelle ist erreicht", "description": "Später erneut versuchen."}
  ]
}`

func translate(t *testing.T, cat *catalog.Catalog, input string) *catalog.Catalog {
	t.Helper()
	out, err := cat.WithTranslation(strings.NewReader(input))
	require.NoError(t, err)
	return out
}

func TestLanguages(t *testing.T) {
	tests := []struct {
		name string
		cat  func(t *testing.T) *catalog.Catalog
		want []language.Tag
	}{
		{"default", func(*testing.T) *catalog.Catalog { return catalog.Default() }, []language.Tag{language.English}},
		{"file without language", func(t *testing.T) *catalog.Catalog { return loadTypes(t, typesFile) }, []language.Tag{language.English}},
		{"file's language, canonical", func(t *testing.T) *catalog.Catalog {
			return loadTypes(t, `{"language": "DE-ch", "statuses": []}`)
		}, []language.Tag{language.MustParse("de-CH")}},
		{"base first, then translations in order", func(t *testing.T) *catalog.Catalog {
			cat := translate(t, loadTypes(t, typesFile), germanTypes)
			return translate(t, cat, `{"language": "zh-Hans", "statuses": [{"code": 429, "phrase": "请求过多"}]}`)
		}, []language.Tag{language.English, language.German, language.SimplifiedChinese}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.cat(t).Languages())
		})
	}
}

func TestWithTranslationTexts(t *testing.T) {
	base := loadTypes(t, typesFile)
	cat := translate(t, base, germanTypes)
	de, fr := language.German, language.French

	assert.Equal(t, []language.Tag{language.English}, base.Languages(), "the base catalog is unchanged")
	assert.Nil(t, base.Matcher(), "one language: nothing to negotiate")
	require.NotNil(t, cat.Matcher())

	assert.Equal(t, "TooManyRequests", cat.Title(429), "Title stays the base language")
	assert.Equal(t, "Zu viele Anfragen", cat.TitleIn(de, 429))
	assert.Equal(t, "Nicht gefunden", cat.TitleIn(de, 404), "a code of the default catalog can be translated")
	assert.Equal(t, "Unavailable", cat.TitleIn(de, 503), "untranslated: the base language's")
	assert.Equal(t, "Client Error", cat.TitleIn(de, 499), "unlisted code: its class")
	assert.Equal(t, "TooManyRequests", cat.TitleIn(fr, 429), "a language the catalog lacks: the base's")
	assert.Equal(t, "TooManyRequests", base.TitleIn(de, 429))

	e, ok := cat.LookupIn(de, 429)
	require.True(t, ok)
	assert.Equal(t, "Zu viele Anfragen", e.Phrase)
	assert.Equal(t, "Der Client hat zu viele Anfragen gesendet.", e.Description)
	assert.Equal(t, catalog.RetryAfterDelay, e.Retry, "retry guidance is the base's")
	e, ok = cat.LookupIn(de, 404)
	require.True(t, ok)
	def, _ := catalog.Default().Lookup(404)
	assert.Equal(t, def.Description, e.Description, "no description given: the base's")

	typ, ok := cat.TypeIn(de, "APIGW.0308")
	require.True(t, ok)
	want, _ := cat.Type("APIGW.0308")
	want.Title, want.Description = "Die Drosselungsschwelle ist erreicht", "Später erneut versuchen."
	assert.Equal(t, want, typ)
	byURI, ok := cat.TypeByURIIn(de, want.URI)
	require.True(t, ok)
	assert.Equal(t, want, byURI)
	typ, ok = cat.TypeIn(de, "APIGW.0301")
	require.True(t, ok)
	assert.Equal(t, "Incorrect IAM authentication information", typ.Title, "untranslated type: the base's")
	_, ok = cat.TypeIn(de, "NOPE")
	assert.False(t, ok)
	_, ok = cat.TypeByURIIn(de, "https://nope.example/")
	assert.False(t, ok)

	sub := cat.Subset(func(e catalog.Entry) bool { return e.Code >= 400 })
	assert.Equal(t, cat.Languages(), sub.Languages(), "Subset keeps the translations")
	assert.Equal(t, "Zu viele Anfragen", sub.TitleIn(de, 429))
}

func TestLoadLanguageErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"not a tag", `{"language": "not a tag", "statuses": []}`, `catalog: language "not a tag" is not a BCP 47 language tag`},
		{"blank", `{"language": " ", "statuses": []}`, `catalog: language is blank`},
		{"not a string", `{"language": 7, "statuses": []}`, `catalog: language 7 is not a string`},
		{"und", `{"language": "und", "statuses": []}`, `catalog: language "und" names no language`},
		{"twice", `{"language": "en", "language": "de", "statuses": []}`, `catalog: field "language" appears more than once`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.Load(strings.NewReader(tt.input))
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestWithTranslationErrors(t *testing.T) {
	base := translate(t, loadTypes(t, typesFile), germanTypes)
	tests := []struct {
		name, input, want string
	}{
		{"not an object", `[]`, `catalog: translation: not a JSON object`},
		{"missing language", `{"statuses": []}`, `catalog: translation: missing "language"`},
		{"bad language", `{"language": "x y"}`, `catalog: translation: language "x y" is not a BCP 47 language tag`},
		{"base language", `{"language": "en"}`, `catalog: translation "en": the catalog has language "en" already`},
		{"added language", `{"language": "de"}`, `catalog: translation "de": the catalog has language "de" already`},
		{"unknown field", `{"language": "fr", "status": []}`, `catalog: translation: field "status" is not a text; a translation gives only texts`},
		{"misspelt field", `{"language": "fr", "Statuses": []}`, `catalog: translation: unknown field "Statuses"`},
		{"typeBase", `{"language": "fr", "typeBase": "https://x.example/"}`, `catalog: translation: field "typeBase" is not a text; a translation gives only texts`},
		{"statuses not an array", `{"language": "fr", "statuses": {}}`, `catalog: translation "fr": "statuses" is not an array`},
		{"status code the catalog lacks", `{"language": "fr", "statuses": [{"code": 404, "phrase": "Introuvable"}, {"code": 499, "phrase": "Client fermé"}]}`,
			`catalog: translation "fr": statuses[1] (code 499): code 499 is not in the catalog`},
		{"retry in a status", `{"language": "fr", "statuses": [{"code": 404, "phrase": "Introuvable"}, {"code": 400, "phrase": "x"}, {"code": 429, "phrase": "Trop", "retry": "never"}]}`,
			`catalog: translation "fr": statuses[2] (code 429): field "retry" is not a text; a translation gives only texts`},
		{"retryAfter in a status", `{"language": "fr", "statuses": [{"code": 429, "phrase": "Trop", "retryAfter": 3}]}`,
			`catalog: translation "fr": statuses[0] (code 429): field "retryAfter" is not a text; a translation gives only texts`},
		{"blank phrase", `{"language": "fr", "statuses": [{"code": 429, "phrase": " "}]}`,
			`catalog: translation "fr": statuses[0] (code 429): phrase is blank`},
		{"control character", `{"language": "fr", "statuses": [{"code": 429, "phrase": "a\u0007"}]}`,
			`catalog: translation "fr": statuses[0] (code 429): phrase has control character U+0007 at byte 1`},
		{"duplicate status", `{"language": "fr", "statuses": [{"code": 429, "phrase": "a"}, {"code": 429, "phrase": "b"}]}`,
			`catalog: translation "fr": statuses[1] (code 429): duplicate code; first listed at statuses[0]`},
		{"type code the catalog lacks", `{"language": "fr", "types": [{"code": "APIGW.9999", "title": "x"}]}`,
			`catalog: translation "fr": types[0] (code "APIGW.9999"): code "APIGW.9999" is not a type of the catalog`},
		{"status in a type", `{"language": "fr", "types": [{"code": "APIGW.0308", "title": "x", "status": 429}]}`,
			`catalog: translation "fr": types[0] (code "APIGW.0308"): field "status" is not a text; a translation gives only texts`},
		{"URI in a type", `{"language": "fr", "types": [{"code": "APIGW.0308", "title": "x", "type": "y"}]}`,
			`catalog: translation "fr": types[0] (code "APIGW.0308"): field "type" is not a text; a translation gives only texts`},
		{"type without title", `{"language": "fr", "types": [{"code": "APIGW.0308", "description": "x"}]}`,
			`catalog: translation "fr": types[0] (code "APIGW.0308"): missing "title"`},
		{"unknown type field", `{"language": "fr", "types": [{"code": "APIGW.0308", "title": "x", "Title": "y"}]}`,
			`catalog: translation "fr": types[0] (code "APIGW.0308"): unknown field "Title"`},
		{"duplicate type", `{"language": "fr", "types": [{"code": "APIGW.0308", "title": "x"}, {"code": "APIGW.0308", "title": "y"}]}`,
			`catalog: translation "fr": types[1] (code "APIGW.0308"): duplicate code; first listed at types[0]`},
		{"type code not a string", `{"language": "fr", "types": [{"code": 7, "title": "x"}]}`,
			`catalog: translation "fr": types[0]: code 7 is not a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := base.WithTranslation(strings.NewReader(tt.input))
			assert.EqualError(t, err, tt.want)
			assert.Nil(t, cat)
		})
	}
}

func TestNegotiate(t *testing.T) {
	cat := translate(t, translate(t, loadTypes(t, typesFile), germanTypes),
		`{"language": "zh-Hans", "statuses": [{"code": 429, "phrase": "请求过多"}]}`)
	en, de, zh := language.English, language.German, language.SimplifiedChinese
	tests := []struct {
		name   string
		cat    *catalog.Catalog
		accept []string // Accept-Language lines; nil: none
		want   language.Tag
	}{
		{"no Accept-Language: the base", cat, nil, en},
		{"empty line: the base", cat, []string{""}, en},
		{"exact", cat, []string{"de"}, de},
		{"case and canonical form", cat, []string{"ZH-hans"}, zh},
		{"zh-CN falls back to zh-Hans", cat, []string{"zh-CN"}, zh},
		{"de-CH falls back to de", cat, []string{"de-CH"}, de},
		{"a match of no confidence is none: nan (Min Nan) gets the base, not zh-Hans", cat, []string{"nan"}, en},
		{"en-GB falls back to en", cat, []string{"en-GB"}, en},
		{"q-values rank", cat, []string{"en;q=0.5, de;q=0.9"}, de},
		{"equal q-values keep their order", cat, []string{"zh, de"}, zh},
		{"q=0 excludes", cat, []string{"de;q=0, en;q=0.1"}, en},
		{"star: the base", cat, []string{"*"}, en},
		{"star ranked first names no language: the range after it", cat, []string{"*, de;q=0.5"}, de},
		{"unknown language then star: the base", cat, []string{"fr, *;q=0.5"}, en},
		{"unknown languages: the base", cat, []string{"fr-FR, ja"}, en},
		{"two lines", cat, []string{"fr", "de;q=0.8"}, de},
		{"malformed ranges skipped", cat, []string{"!!, de;q=x, en;q=, de-CH;q=0.7"}, de},
		{"only malformed: the base", cat, []string{";;;, q=1, -"}, en},
		{"within 32 ranges", cat, []string{strings.Repeat("fr,", 31) + "de"}, de},
		{"beyond 32 ranges", cat, []string{strings.Repeat("fr,", 32) + "de"}, en},
		{"empty elements do not count", cat, []string{strings.Repeat(",", 100) + "de"}, de},
		{"beyond 1 KiB", cat, []string{strings.Repeat(" ", 1024) + ",de"}, en},
		{"cut through by 1 KiB: not read in part", cat, []string{strings.Repeat(" ", 1020) + ",de-CH"}, en},
		{"the bounds cover all lines", cat, []string{strings.Repeat(" ", 1000), strings.Repeat(" ", 30) + ",de"}, en},
		{"one language: it", loadTypes(t, `{"language": "de", "statuses": []}`), []string{"en"}, de},
		{"default catalog: English", catalog.Default(), []string{"de"}, en},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.cat.Negotiate(tt.accept))
		})
	}
}

// TestMatchLanguage: the language a tag falls back to is the one
// Negotiate gives for an Accept-Language of that tag alone, where a walk
// along Tag.Parent disagreed (zh-Hant, whose parent is und; gsw; en-GB to
// en-US), and none where the matcher has no match.
func TestMatchLanguage(t *testing.T) {
	langs := []language.Tag{language.German, language.MustParse("en-US"), language.SimplifiedChinese, language.MustParse("sr-Cyrl")}
	m := language.NewMatcher(langs)
	cat := loadTypes(t, `{"language": "de", "statuses": []}`)
	for _, tr := range []string{`{"language": "en-US"}`, `{"language": "zh-Hans"}`, `{"language": "sr-Cyrl"}`} {
		cat = translate(t, cat, tr)
	}
	require.Equal(t, langs, cat.Languages())
	tests := []struct {
		tag    string
		want   int
		wantOK bool
	}{
		{"de", 0, true},
		{"de-CH", 0, true},
		{"gsw", 0, true},
		{"en", 1, true},
		{"en-GB", 1, true},
		{"zh", 2, true},
		{"zh-CN", 2, true},
		{"zh-Hant", 2, true},
		{"sr", 3, true},
		{"sr-Latn", 3, true},
		{"fr", 0, false},
		{"und", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.tag, func(t *testing.T) {
			tag := language.MustParse(tt.tag)
			i, ok := catalog.MatchLanguage(m, tag)
			assert.Equal(t, tt.wantOK, ok)
			if ok {
				assert.Equal(t, tt.want, i)
			}
			want := langs[0]
			if ok {
				want = langs[i]
			}
			assert.Equal(t, want, cat.Negotiate([]string{tt.tag}), "Negotiate agrees")
		})
	}
	i, ok := catalog.MatchLanguage(nil, language.German)
	assert.False(t, ok, "a nil matcher matches none")
	assert.Zero(t, i)
}
