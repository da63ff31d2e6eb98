package catalog

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/internal/members"
)

// FuzzLoad checks that any input either loads into a catalog whose entries
// keep the rules, or fails with an error naming where.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		`{"statuses":[]}`,
		`{"statuses":[{"code":429,"phrase":"TooManyRequests","retry":"after-delay","retryAfter":30}]}`,
		`{"statuses":[{"code":400,"phrase":"A"},{"code":400,"phrase":"B"}]}`,
		`{"statuses":[{"code":520,"phrase":"X","description":"d"}]}`,
		`{"statuses":[{"code":4.04e2,"phrase":"\u0000"}]}`,
		`{"typeBase":"https://docs.example.com/errors/","codeMember":"errorCode","statuses":[{"code":429,"phrase":"Slow","retry":"after-delay","retryAfter":30}],` +
			`"types":[{"code":"APIGW.0301","status":401,"title":"Token expired","description":"d","retry":"never"},` +
			`{"code":"APIGW.0308","status":429,"title":"Throttled","retryAfter":10},{"code":"X","status":400,"title":"T","type":"x"}]}`,
		`{"statuses":[],"types":[{"code":"A","status":400,"title":"T","type":"https://iana.org/assignments/http-problem-types#date"}]}`,
		`{"typeBase":"https://docs.example.com/errors#","statuses":[],"types":[{"code":"A [1]","status":400,"title":"T"},` +
			`{"code":"B","status":400,"title":"T","type":"../b?q=%C3%BC#x"},{"code":"C","status":400,"title":"T","type":"urn:x:ü"}]}`,
		`{"typeBase":"https://docs.example.com/{v}/","statuses":[]}`,
		`{"language":"de","typeBase":"https://docs.example.com/fehler/","codeMember":"fehlercode","statuses":[{"code":429,"phrase":"Zu viele Anfragen"}],` +
			`"types":[{"code":"E1","status":404,"title":"Nicht gefunden"}]}`,
		`{"language":"zh-Hans-CN","statuses":[]}`,
		`{"language":"und","statuses":[]}`,
		`{"language":"x!","statuses":[]}`,
		`{"language":" ","statuses":[]}`,
		`{"language":5,"statuses":[]}`,
		`{"typeBase":"https://docs.example.com/errors/","statuses":[{"code":429,"phrase":"Slow","quotaPolicies":[{"name":"default","quota":100,"window":60,"unit":"requests"}]}],` +
			`"types":[{"code":"Q","status":429,"title":"T","quotaPolicies":[{"name":"a \\\"b","quota":0},{"name":"bytes","quota":999999999999999,"unit":"content-bytes","window":1}]},` +
			`{"code":"R","status":429,"title":"U"},{"code":"S","status":503,"title":"V","quotaPolicies":[]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := Load(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "catalog: ") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		checkLoaded(t, cat)
	})
}

// checkLoaded checks that a catalog Load returned keeps the rules: its
// entries and types, its one language, and its documents.
func checkLoaded(t *testing.T, cat *Catalog) {
	t.Helper()
	langs := cat.Languages()
	if len(langs) != 1 || langs[0] == language.Und || cat.Matcher() != nil {
		t.Fatalf("a loaded catalog has languages %v and matcher %v", langs, cat.Matcher())
	}
	prev := 0
	for e := range cat.All() {
		if e.Code <= prev || e.Code < 100 || e.Code > 599 {
			t.Fatalf("bad code order or range: %d after %d", e.Code, prev)
		}
		prev = e.Code
		if strings.TrimSpace(e.Phrase) == "" || checkText(e.Phrase) != nil || checkText(e.Description) != nil {
			t.Fatalf("entry %d has bad text: %q %q", e.Code, e.Phrase, e.Description)
		}
		if e.RetryAfter < 0 || (e.RetryAfter > 0 && e.Retry != RetryAfterDelay) {
			t.Fatalf("entry %d: retry %v with delay %v", e.Code, e.Retry, e.RetryAfter)
		}
		checkQuotaPolicies(t, e.QuotaPolicies)
		if got, ok := cat.Lookup(e.Code); !ok || !reflect.DeepEqual(got, e) {
			t.Fatalf("Lookup(%d) = %v, %v", e.Code, got, ok)
		}
	}
	for typ := range cat.Types() {
		u, err := absoluteURI(typ.URI) // a URI Respond sends without a report (CheckURIReference)
		switch {
		case checkCode(typ.Code) != nil, strings.TrimSpace(typ.Title) == "", checkText(typ.Title) != nil, checkText(typ.Description) != nil:
			t.Fatalf("type %q has bad text: %q %q", typ.Code, typ.Title, typ.Description)
		case !cat.Sendable(typ.Status):
			t.Fatalf("type %q has status %d", typ.Code, typ.Status)
		case err != nil || isIANA(u):
			t.Fatalf("type %q has URI %q", typ.Code, typ.URI)
		case typ.RetryAfter < 0 || (typ.RetryAfter > 0 && typ.Retry != RetryAfterDelay):
			t.Fatalf("type %q: retry %v with delay %v", typ.Code, typ.Retry, typ.RetryAfter)
		case typ.CodeMember == "" || members.Standard(typ.CodeMember):
			t.Fatalf("type %q: code member %q", typ.Code, typ.CodeMember)
		}
		checkQuotaPolicies(t, typ.QuotaPolicies)
		if got, ok := cat.Type(typ.Code); !ok || got.URI != typ.URI {
			t.Fatalf("Type(%q) = %v, %v", typ.Code, got, ok)
		}
		if got, ok := cat.TypeByURI(typ.URI); !ok || got.Code != typ.Code {
			t.Fatalf("TypeByURI(%q) = %v, %v", typ.URI, got, ok)
		}
	}
	if err := cat.WriteMarkdown(new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	var doc bytes.Buffer
	if err := cat.WriteOpenAPI(&doc); err != nil || !json.Valid(doc.Bytes()) {
		t.Fatalf("OpenAPI: %v", err)
	}
}

// checkQuotaPolicies fails t unless policies keep the rules of Load.
func checkQuotaPolicies(t *testing.T, policies []QuotaPolicy) {
	t.Helper()
	names := make(map[string]bool)
	for _, p := range policies {
		if p.Name == "" || names[p.Name] || strings.ContainsFunc(p.Name, func(r rune) bool { return r < 0x20 || r > 0x7e }) ||
			p.Quota < 0 || p.Quota > maxQuota || p.Window < 0 || p.Window%time.Second != 0 ||
			(p.Unit != "" && !quotaUnitToken(p.Unit)) || p.PartitionKey != nil {
			t.Fatalf("bad quota policy %+v", p)
		}
		names[p.Name] = true
	}
}

// FuzzWithTranslation checks that any translation either adds its language
// with texts that keep the rules, leaving the base's other fields alone,
// or fails with an error that names the translation.
func FuzzWithTranslation(f *testing.F) {
	base, err := Load(strings.NewReader(`{"typeBase":"https://docs.example.com/errors/","statuses":[{"code":429,"phrase":"Slow","retry":"after-delay","retryAfter":30}],` +
		`"types":[{"code":"APIGW.0308","status":429,"title":"Throttled"}]}`))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		`{"language":"de","statuses":[{"code":429,"phrase":"Langsam","description":"d"}],"types":[{"code":"APIGW.0308","title":"Gedrosselt"}]}`,
		`{"language":"en"}`,
		`{"language":"zh-Hans","statuses":[{"code":499,"phrase":"x"}]}`,
		`{"language":"fr","types":[{"code":"APIGW.0308","title":"x","retry":"never"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := base.WithTranslation(bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "catalog: translation") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		checkTranslated(t, base, cat)
	})
}

// FuzzLoadTranslated fuzzes a catalog file of the v2 format and a
// translation of it together: whatever the base (its types, typeBase,
// codeMember and language) and the translation, either both keep the
// rules, the translation's texts replacing the base's and nothing else,
// or the errors say where.
func FuzzLoadTranslated(f *testing.F) {
	for _, s := range [][2]string{
		{`{"language":"en","typeBase":"https://docs.example.com/errors/","codeMember":"errorCode",` +
			`"statuses":[{"code":429,"phrase":"Slow","retry":"after-delay","retryAfter":30},{"code":404,"phrase":"Gone away"}],` +
			`"types":[{"code":"APIGW.0308","status":429,"title":"Throttled","retryAfter":10},{"code":"X1","status":404,"title":"No item","type":"https://example.com/x1"}]}`,
			`{"language":"de-CH","statuses":[{"code":429,"phrase":"Langsam"}],"types":[{"code":"X1","title":"Kein Eintrag","description":"d"}]}`},
		{`{"language":"de","statuses":[{"code":400,"phrase":"Ungültig"}]}`, `{"language":"de"}`},
		{`{"language":"de","statuses":[{"code":400,"phrase":"Ungültig"}]}`, `{"language":"en","statuses":[{"code":400,"phrase":"Bad"}]}`},
		{`{"statuses":[],"types":[{"code":"A","status":400,"title":"T","type":"https://example.com/a"}]}`, `{"language":"fr","types":[{"code":"B","title":"x"}]}`},
		{`{"statuses":[{"code":500,"phrase":"Oops"}]}`, `{"language":"ja","statuses":[{"code":500,"phrase":"  "}]}`},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, file, translation []byte) {
		base, err := Load(bytes.NewReader(file))
		if err != nil {
			return // FuzzLoad covers the errors
		}
		checkLoaded(t, base)
		cat, err := base.WithTranslation(bytes.NewReader(translation))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "catalog: translation") {
				t.Fatalf("error without context: %v", err)
			}
			return
		}
		checkTranslated(t, base, cat)
	})
}

// checkTranslated checks that cat, base with a translation added, has the
// translation's language after base's and a text of the rules for every
// entry and type in it, and that only texts differ from base.
func checkTranslated(t *testing.T, base, cat *Catalog) {
	t.Helper()
	langs := cat.Languages()
	if len(langs) != 2 || langs[0] != base.Languages()[0] || langs[1] == langs[0] || cat.Matcher() == nil {
		t.Fatalf("languages %v", langs)
	}
	if _, i, _ := cat.Matcher().Match(langs[1]); i != 1 {
		t.Fatalf("the matcher gives index %d for %v, want 1", i, langs[1])
	}
	for e := range base.All() {
		got, ok := cat.LookupIn(langs[1], e.Code)
		if !ok || got.Code != e.Code || got.Retry != e.Retry || got.RetryAfter != e.RetryAfter ||
			strings.TrimSpace(got.Phrase) == "" || checkText(got.Phrase) != nil || checkText(got.Description) != nil {
			t.Fatalf("LookupIn(%d) = %v, %v", e.Code, got, ok)
		}
		if cat.TitleIn(langs[1], e.Code) != got.Phrase || cat.TitleIn(langs[0], e.Code) != e.Phrase {
			t.Fatalf("TitleIn(%d) does not match LookupIn", e.Code)
		}
	}
	for typ := range base.Types() {
		got, ok := cat.TypeIn(langs[1], typ.Code)
		if !ok || got.URI != typ.URI || got.Status != typ.Status || got.Retry != typ.Retry || got.RetryAfter != typ.RetryAfter ||
			got.Code != typ.Code || got.CodeMember != typ.CodeMember ||
			strings.TrimSpace(got.Title) == "" || checkText(got.Title) != nil || checkText(got.Description) != nil {
			t.Fatalf("TypeIn(%q) = %v, %v", typ.Code, got, ok)
		}
		if byURI, ok := cat.TypeByURIIn(langs[1], typ.URI); !ok || byURI.Title != got.Title {
			t.Fatalf("TypeByURIIn(%q) = %v, %v", typ.URI, byURI, ok)
		}
	}
}

// FuzzNegotiateLanguage checks that any Accept-Language gives one of the
// catalog's languages, and that a header of one range gives the language
// MatchLanguage gives for its tag: the two answer alike.
func FuzzNegotiateLanguage(f *testing.F) {
	for _, s := range []string{"", "*", "de-CH", "zh-Hant", "gsw", "en-GB;q=0.5, fr", "de;q=0", ";;,,q=", "x-private", "und", "sr-Latn-RS"} {
		f.Add(s)
	}
	cat := Default()
	for _, tr := range []string{`{"language": "de"}`, `{"language": "zh-Hans"}`, `{"language": "en-US"}`} {
		var err error
		if cat, err = cat.WithTranslation(strings.NewReader(tr)); err != nil {
			f.Fatal(err)
		}
	}
	langs := cat.Languages()
	f.Fuzz(func(t *testing.T, accept string) {
		got := cat.Negotiate([]string{accept})
		if !slices.Contains(langs, got) {
			t.Fatalf("Negotiate(%q) = %v, not one of %v", accept, got, langs)
		}
		tags, q, err := language.ParseAcceptLanguage(accept)
		if err != nil || len(tags) != 1 || q[0] != 1 || strings.Contains(accept, ",") || len(accept) > maxListBytes {
			return
		}
		want := langs[0]
		if i, ok := MatchLanguage(cat.matcher, tags[0]); ok {
			want = langs[i]
		}
		if got != want {
			t.Fatalf("Negotiate(%q) = %v, but MatchLanguage(%v) gives %v", accept, got, tags[0], want)
		}
	})
}

// FuzzURIRefPlain checks the fast path of CheckURIReference: a string
// urirefPlain accepts is one urirefFault finds no fault in.
func FuzzURIRefPlain(f *testing.F) {
	for _, s := range []string{
		"/", "/items/7", "//host/x", "/a?b#c", "/a#b#c", "https://example.com/probs/x", "https://example.com", "http://h:80/x",
		"https://user@example.com/x", "http://[::1]/x", "http://[::1/x", "http://h:port/x", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
		"tag:example.com,2024:x", "about:blank", "mailto:a@b", "file:///etc", "a:", "1a:b", ":x", "a b", "/%zz", "x#%zz",
		"https://exa_mple.com/x", "https://ex%41mple.com/", "h://a/b\\c", "/a\x7fb", "s+v.-1://h", "/a[0]", "/{x}", "https://e.com/ü",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if urirefPlain(s) {
			if fault := urirefFault(s); fault != "" {
				t.Fatalf("urirefPlain(%q) = true, but %s", s, fault)
			}
		}
	})
}
