package catalog

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
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
			if got, ok := cat.Lookup(e.Code); !ok || got != e {
				t.Fatalf("Lookup(%d) = %v, %v", e.Code, got, ok)
			}
		}
		if err := cat.WriteMarkdown(new(bytes.Buffer)); err != nil {
			t.Fatal(err)
		}
		var doc bytes.Buffer
		if err := cat.WriteOpenAPI(&doc); err != nil || !json.Valid(doc.Bytes()) {
			t.Fatalf("OpenAPI: %v", err)
		}
	})
}
