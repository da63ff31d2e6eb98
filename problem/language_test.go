package problem_test

import (
	"fmt"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/problemkit/problemkit/problem"
)

// multilingual returns a catalog in English with German and Simplified
// Chinese translations.
func multilingual(t testing.TB) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(strings.NewReader(`{
	  "typeBase": "https://docs.example.com/errors/",
	  "statuses": [{"code": 429, "phrase": "Too Many Requests", "retry": "after-delay", "retryAfter": 30}],
	  "types": [{"code": "APIGW.0308", "status": 429, "title": "The throttling threshold has been reached"},
	            {"code": "APIGW.0301", "status": 403, "title": "Incorrect IAM authentication information"}]
	}`))
	require.NoError(t, err)
	for _, tr := range []string{
		`{"language": "de", "statuses": [{"code": 429, "phrase": "Zu viele Anfragen"}, {"code": 404, "phrase": "Nicht gefunden"}],
		  "types": [{"code": "APIGW.0308", "title": "Die Drosselungsschwelle ist erreicht"}]}`,
		`{"language": "zh-Hans", "statuses": [{"code": 429, "phrase": "请求过多"}],
		  "types": [{"code": "APIGW.0308", "title": "已达到限流阈值"}]}`,
	} {
		cat, err = cat.WithTranslation(strings.NewReader(tr))
		require.NoError(t, err)
	}
	return cat
}

func TestRespondLanguage(t *testing.T) {
	cat := multilingual(t)
	throttled := problem.MustType(cat, "APIGW.0308")
	forbidden := problem.MustType(cat, "APIGW.0301")
	const (
		en429 = `{"type":"about:blank","title":"Too Many Requests","status":429}`
		de429 = `{"type":"about:blank","title":"Zu viele Anfragen","status":429}`
		zh429 = `{"type":"about:blank","title":"请求过多","status":429}`
	)
	tests := []struct {
		name     string
		accept   []string // Accept-Language lines; nil: none
		p        *problem.Problem
		wantLang string
		wantBody string
	}{
		{"no Accept-Language: the base", nil, problem.New(429, ""), "en", en429},
		{"en", []string{"en"}, problem.New(429, ""), "en", en429},
		{"de", []string{"de"}, problem.New(429, ""), "de", de429},
		{"zh-Hans", []string{"zh-Hans"}, problem.New(429, ""), "zh-Hans", zh429},
		{"zh-CN falls back to zh-Hans", []string{"zh-CN"}, problem.New(429, ""), "zh-Hans", zh429},
		{"de-CH falls back to de", []string{"de-CH"}, problem.New(429, ""), "de", de429},
		{"q-values rank", []string{"en;q=0.5, de;q=0.9"}, problem.New(429, ""), "de", de429},
		{"q=0 excludes", []string{"de;q=0, en;q=0.1"}, problem.New(429, ""), "en", en429},
		{"star: the base", []string{"*"}, problem.New(429, ""), "en", en429},
		{"unknown language then star: the base", []string{"fr, *;q=0.5"}, problem.New(429, ""), "en", en429},
		{"unknown language: the base", []string{"fr-FR, ja"}, problem.New(429, ""), "en", en429},
		{"two lines", []string{"fr", "de;q=0.8"}, problem.New(429, ""), "de", de429},
		{"unparsable ranges skipped", []string{"!!, de;q=x, de-CH;q=0.7"}, problem.New(429, ""), "de", de429},
		{"detail stays as written", []string{"de"}, problem.New(429, "slow down"), "de",
			`{"type":"about:blank","title":"Zu viele Anfragen","status":429,"detail":"slow down"}`},
		{"untranslated phrase: the base's", []string{"zh-Hans"}, problem.New(404, ""), "zh-Hans",
			`{"type":"about:blank","title":"Not Found","status":404}`},
		{"catalog type", []string{"de"}, throttled.New("x"), "de",
			`{"type":"https://docs.example.com/errors/APIGW.0308","title":"Die Drosselungsschwelle ist erreicht","status":429,"detail":"x","code":"APIGW.0308"}`},
		{"catalog type in zh-Hans", []string{"zh-Hans"}, throttled.New(""), "zh-Hans",
			`{"type":"https://docs.example.com/errors/APIGW.0308","title":"已达到限流阈值","status":429,"code":"APIGW.0308"}`},
		{"untranslated type: the base's", []string{"de"}, forbidden.New(""), "de",
			`{"type":"https://docs.example.com/errors/APIGW.0301","title":"Incorrect IAM authentication information","status":403,"code":"APIGW.0301"}`},
		{"own title stays", []string{"de"}, problem.Type{URI: "https://docs.example.com/errors/APIGW.0308", Title: "Custom", Status: 429}.New(""), "de",
			`{"type":"https://docs.example.com/errors/APIGW.0308","title":"Custom","status":429}`},
		{"type outside the catalog without a title: the phrase", []string{"de"}, problem.Type{URI: "https://example.com/x", Status: 429}.New(""), "de",
			`{"type":"https://example.com/x","title":"Zu viele Anfragen","status":429}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := &problem.Responder{Catalog: cat}
			for _, prepared := range []bool{false, true} {
				p := tt.p
				if prepared {
					v, _ := rs.Prepare(tt.p)
					p = &v
				}
				r := httptest.NewRequest("GET", "/", nil)
				if tt.accept != nil {
					r.Header["Accept-Language"] = tt.accept
				}
				rec := httptest.NewRecorder()
				rec.Header().Set("Content-Language", "fr")
				err := rs.Respond(rec, r, p)
				require.NoError(t, err)
				assert.Equal(t, tt.wantBody, rec.Body.String(), "prepared %v", prepared)
				assert.Equal(t, []string{tt.wantLang}, rec.Header()["Content-Language"])
				assert.Equal(t, []string{"Accept", "Accept-Language"}, rec.Header()["Vary"])
			}
		})
	}
}

// TestRespondLanguageRemembered: the language negotiated for an
// Accept-Language value is remembered, and what is remembered is right:
// for values asked again and again from several goroutines at once, for
// more values than are remembered (they push each other out), and for
// values too long to remember.
func TestRespondLanguageRemembered(t *testing.T) {
	fr, err := catalog.Load(strings.NewReader(`{"language": "fr", "statuses": []}`))
	require.NoError(t, err)
	fr, err = fr.WithTranslation(strings.NewReader(`{"language": "en"}`))
	require.NoError(t, err)
	rs, rsFR := &problem.Responder{Catalog: multilingual(t)}, &problem.Responder{Catalog: fr}
	type ask struct {
		rs           *problem.Responder
		accept, want string
	}
	var asks []ask
	for i := range 300 {
		asks = append(asks, ask{rs, fmt.Sprintf("x-%d, de;q=0.5", i), "de"}, ask{rs, fmt.Sprintf("zh-CN;q=0.%d", i%9+1), "zh-Hans"})
	}
	long := strings.Repeat("fr-FR;q=0.1, ", 20) + "de" // 262 bytes: not remembered
	asks = append(asks, ask{rs, "", "en"}, ask{rs, long, "de"}, ask{rs, "en", "en"},
		ask{rsFR, "", "fr"}, ask{rsFR, "de", "fr"}, ask{rsFR, "en", "en"})

	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for round := range 3 {
				for i := range asks {
					a := asks[(i*(2*g+1)+round)%len(asks)]
					r := httptest.NewRequest("GET", "/", nil)
					if a.accept != "" {
						r.Header.Set("Accept-Language", a.accept)
					}
					rec := httptest.NewRecorder()
					if err := a.rs.Respond(rec, r, problem.New(429, "")); err != nil {
						t.Error(err)
						return
					}
					if got := rec.Header().Get("Content-Language"); got != a.want {
						t.Errorf("Accept-Language %q: Content-Language %q, want %q", a.accept, got, a.want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestRespondLanguageAfterInPlaceWrite: the Content-Language and Vary
// values of a language are shared by the responses in it; one written into
// in place is reported once, and later responses get new values.
func TestRespondLanguageAfterInPlaceWrite(t *testing.T) {
	for _, key := range []string{"Content-Language", "Vary"} {
		t.Run(key, func(t *testing.T) {
			rs := &problem.Responder{Catalog: multilingual(t)}
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Language", "de")
			written := httptest.NewRecorder()
			require.NoError(t, rs.Respond(written, r, problem.New(429, "")))
			for i := range written.Header()[key] {
				written.Header()[key][i] = "fr"
			}
			for i := range 3 {
				rec := httptest.NewRecorder()
				err := rs.Respond(rec, r, problem.New(429, ""))
				if i == 0 {
					assert.EqualError(t, err, "problem: a header value Respond sets was written into in place; later responses get new values")
				} else {
					assert.NoError(t, err, "the write is reported once")
				}
				assert.Equal(t, []string{"de"}, rec.Header()["Content-Language"], "response %d after the write", i)
				assert.Equal(t, []string{"Accept", "Accept-Language"}, rec.Header()["Vary"], "response %d after the write", i)
			}
		})
	}
}

// TestRespondLanguageCatalogChanged: the languages remembered are those of
// the Responder's Catalog: a Responder given another catalog negotiates in
// that one, and remembers nothing that keeps the one before alive.
func TestRespondLanguageCatalogChanged(t *testing.T) {
	fr, err := catalog.Load(strings.NewReader(`{"language": "fr", "statuses": []}`))
	require.NoError(t, err)
	fr, err = fr.WithTranslation(strings.NewReader(`{"language": "en"}`))
	require.NoError(t, err)
	respond := func(rs *problem.Responder, accept string) string {
		r := httptest.NewRequest("GET", "/", nil)
		if accept != "" {
			r.Header.Set("Accept-Language", accept)
		}
		rec := httptest.NewRecorder()
		require.NoError(t, rs.Respond(rec, r, problem.New(429, "")))
		return rec.Header().Get("Content-Language")
	}
	asks := []struct{ accept, before, after string }{
		{"", "en", "fr"},
		{"de", "de", "fr"},
		{"zh-CN", "zh-Hans", "fr"},
		{"de-CH,de;q=0.9,en;q=0.8", "de", "en"},
	}

	old := multilingual(t)
	gone := weak.Make(old)
	rs := &problem.Responder{Catalog: old}
	for _, a := range asks {
		assert.Equal(t, a.before, respond(rs, a.accept), "Accept-Language %q before the change", a.accept)
	}
	assert.Equal(t, "de", respond(rs, "de-AT"), "asked before the change only")
	rs.Catalog, old = fr, nil
	for _, a := range asks {
		assert.Equal(t, a.after, respond(rs, a.accept), "Accept-Language %q after the change", a.accept)
	}
	runtime.GC()
	assert.True(t, gone.Value() == nil, "the catalog before is kept alive")
	runtime.KeepAlive(rs)
}

// FuzzRespondLanguage checks that for any Accept-Language value the
// response names one of the catalog's languages, and the same one whether
// the value is negotiated or remembered from before.
func FuzzRespondLanguage(f *testing.F) {
	for _, s := range []string{"", "de", "de-CH,de;q=0.9,en;q=0.8", "*", "fr, *;q=0.5", "zh-CN", "de;q=0, en;q=0.1", "!!, de;q=x, de-CH;q=0.7",
		strings.Repeat("fr,", 40) + "de", "en;q=0.5,de;q=0.5,zh-Hans;q=0.5", "x-private, i-klingon", "de-u-co-phonebk", "und"} {
		f.Add(s)
	}
	cat := multilingual(f)
	remembering := &problem.Responder{Catalog: cat}
	langs := map[string]bool{}
	for _, l := range cat.Languages() {
		langs[l.String()] = true
	}
	f.Fuzz(func(t *testing.T, accept string) {
		var got [3]string
		for i, rs := range []*problem.Responder{{Catalog: cat}, remembering, remembering} {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header["Accept-Language"] = []string{accept}
			rec := httptest.NewRecorder()
			require.NoError(t, rs.Respond(rec, r, problem.New(429, "")))
			got[i] = rec.Header().Get("Content-Language")
			if !langs[got[i]] {
				t.Fatalf("Accept-Language %q: Content-Language %q is not the catalog's", accept, got[i])
			}
		}
		if got[1] != got[0] || got[2] != got[0] {
			t.Fatalf("Accept-Language %q: Content-Language %q when negotiated, %q and %q when remembered", accept, got[0], got[1], got[2])
		}
	})
}

func TestRespondLanguageBounds(t *testing.T) {
	rs := &problem.Responder{Catalog: multilingual(t)}
	tests := []struct {
		name   string
		accept []string
		want   string
	}{
		{"within the bounds", []string{strings.Repeat("fr,", 31) + "de"}, "de"},
		{"beyond 32 ranges", []string{strings.Repeat("fr,", 32) + "de"}, "en"},
		{"empty elements do not count", []string{strings.Repeat(",", 100) + "de"}, "de"},
		{"beyond 1 KiB", []string{strings.Repeat(" ", 1024) + ",de"}, "en"},
		{"cut through by 1 KiB: not read in part", []string{strings.Repeat(" ", 1020) + ",de-CH"}, "en"},
		{"the bounds cover all lines", []string{strings.Repeat(" ", 1000), strings.Repeat(" ", 30) + ",de"}, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header["Accept-Language"] = tt.accept
			rec := httptest.NewRecorder()
			require.NoError(t, rs.Respond(rec, r, problem.New(429, "")))
			assert.Equal(t, []string{tt.want}, rec.Header()["Content-Language"])
		})
	}
}

// TestRespondOneLanguage: with one language, Accept-Language changes
// nothing on the wire.
func TestRespondOneLanguage(t *testing.T) {
	de, err := catalog.Load(strings.NewReader(`{"language": "de", "statuses": [{"code": 429, "phrase": "Zu viele Anfragen"}]}`))
	require.NoError(t, err)
	for _, cat := range []*catalog.Catalog{nil, de} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", "fr, de;q=0.5")
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Language", "fr")
		require.NoError(t, (&problem.Responder{Catalog: cat}).Respond(rec, r, problem.New(429, "")))
		assert.Nil(t, rec.Header()["Content-Language"], "stale, and nothing to negotiate")
		assert.Equal(t, []string{"Accept"}, rec.Header()["Vary"])
	}
}

func TestRespondLanguageHTMLPage(t *testing.T) {
	de, err := catalog.Load(strings.NewReader(`{"language": "de", "statuses": [{"code": 429, "phrase": "Zu viele Anfragen"}]}`))
	require.NoError(t, err)
	tests := []struct {
		name, accept string
		cat          *catalog.Catalog
		want         string
	}{
		{"default catalog", "de", nil, `<html lang="en">`},
		{"one language, not English", "en", de, `<html lang="de">`},
		{"negotiated", "de-CH", multilingual(t), `<html lang="de">`},
		{"negotiated zh-Hans", "zh", multilingual(t), `<html lang="zh-Hans">`},
		// The labels and the retry guidance are in the page's language,
		// as in the catalog's docs (catalog.LabelsIn, RetryGuidanceIn).
		{"labels in English", "en", multilingual(t), "<dt>Retry</dt><dd>Repeat after Retry-After (30 s by default)</dd>\n<dt>Instance</dt><dd>/limits/7</dd>"},
		{"labels in German", "de", multilingual(t), "<dt>Wiederholen</dt><dd>Nach Retry-After wiederholen (standardmäßig 30 s)</dd>\n<dt>Instanz</dt><dd>/limits/7</dd>"},
		{"labels in Chinese", "zh", multilingual(t), "<dt>重试</dt><dd>请在 Retry-After 指定的时间后重试（默认 30 秒）</dd>\n<dt>实例</dt><dd>/limits/7</dd>"},
		{"labels of a German catalog", "en", de, "<dt>Wiederholen</dt><dd>Nach Retry-After wiederholen</dd>\n<dt>Instanz</dt>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept", "text/html")
			r.Header.Set("Accept-Language", tt.accept)
			rec := httptest.NewRecorder()
			p := problem.New(429, "")
			p.Instance = "/limits/7"
			require.NoError(t, (&problem.Responder{Catalog: tt.cat, HTML: true}).Respond(rec, r, p))
			assert.Contains(t, rec.Body.String(), tt.want)
		})
	}
}

// BenchmarkRespondLanguage is a 404 written with a catalog of one language
// and with one of three, for the Accept-Language values clients send: what
// negotiating the language costs on the path of every error.
func BenchmarkRespondLanguage(b *testing.B) {
	one, three := &problem.Responder{}, &problem.Responder{Catalog: multilingual(b)}
	p := problem.New(404, "item 42 does not exist")
	for _, bench := range []struct {
		name   string
		rs     *problem.Responder
		accept string
	}{
		{"one-language", one, "de-CH,de;q=0.9,en;q=0.8"},
		{"three-languages/none", three, ""},
		{"three-languages/de", three, "de"},
		{"three-languages/browser", three, "de-CH,de;q=0.9,en;q=0.8"},
	} {
		r := httptest.NewRequest("GET", "/items/42", nil)
		if bench.accept != "" {
			r.Header.Set("Accept-Language", bench.accept)
		}
		b.Run(bench.name, func(b *testing.B) {
			w := testkit.NewBenchWriter()
			b.ReportAllocs()
			for b.Loop() {
				w.Reset()
				_ = bench.rs.Respond(w, r, p)
			}
		})
	}
}
