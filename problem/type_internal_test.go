package problem

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTypeCodesFull: once typeCodes holds maxTypeCodes Types, a problem of
// another Type gets its code member made with it, in one allocation, and
// is sent as one whose code member is shared.
func TestTypeCodesFull(t *testing.T) {
	shared := Type{URI: "https://example.com/full", Title: "Full <one>", Status: 409, Code: "F1"}
	p := shared.New("d")
	require.NotNil(t, p.compiled(), "a Type's problems share its code member while typeCodes has room")
	n := typeCodes.n.Load()
	typeCodes.n.Store(maxTypeCodes)
	defer typeCodes.n.Store(n)

	other := Type{URI: "https://example.com/full", Title: "Full <one>", Status: 409, Code: "F2", CodeMember: "errorCode"}
	sameCode := shared
	sameCode.Title = "Full <two>"
	var q *Problem
	assert.Equal(t, 1.0, testing.AllocsPerRun(50, func() { q = other.New("d") }), "one allocation, the problem with its code member")
	assert.Nil(t, q.compiled(), "typeCodes is full: not shared")
	_, cached := (*typeCodes.m.Load())[other.Code]
	assert.False(t, cached)
	assert.NotNil(t, shared.New("d").compiled(), "a Type it holds is still shared")
	assert.Nil(t, sameCode.New("d").compiled(), "another Type of a code it holds is not added")

	want := &Problem{Type: other.URI, Title: other.Title, Status: 409, Detail: "d", Extensions: map[string]any{"errorCode": "F2"}}
	got, err := q.AppendJSON(nil)
	require.NoError(t, err)
	wantJSON, _ := want.AppendJSON(nil)
	assert.Equal(t, string(wantJSON), string(got))
	assert.Equal(t, "F2", q.Code())
}

// TestTypeCodesConcurrent: Types with codes, new and known, made into
// problems and sent by many goroutines at once, in every format, share
// their code members safely (run with -race) and send them as written.
func TestTypeCodesConcurrent(t *testing.T) {
	rs := &Responder{HTML: true}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				typ := Type{URI: fmt.Sprintf("https://example.com/c%d", i%10), Status: 409, Code: fmt.Sprintf("C%d", i%10)}
				var p *Problem
				switch i % 3 {
				case 0:
					p = typ.New("d")
				case 1:
					p = typ.Wrap(nil).WithExtension("n", i)
				case 2:
					p = typ.Newf("x %w", fmt.Errorf("y"))
				}
				r := httptest.NewRequest("GET", "/", nil)
				r.Header.Set("Accept", []string{"", "application/problem+xml", "text/html"}[(g+i)%3])
				w := httptest.NewRecorder()
				assert.NoError(t, rs.Respond(w, r, p))
				assert.Contains(t, w.Body.String(), typ.Code)
				assert.Equal(t, typ.Code, p.Code())
				_ = p.LogValue().String()
			}
		})
	}
	wg.Wait()
}

// FuzzTypeCodeSentAsExtension: a problem carrying its type's code, shared
// (see typeCodes) or its own, sends in JSON, XML and the log what the same
// member in Extensions sends, for any code member name, any extension
// names beside it and any type and title; and Code returns what is sent
// under the code member's name.
func FuzzTypeCodeSentAsExtension(f *testing.F) {
	f.Add("code", "E1", "balance", "errors", "https://example.com/e", "T")
	f.Add("errors", "E1", "Code", "code", "", "")
	f.Add("a\xff", "E1", "a\xfe", "\ufffd", "about:blank", "x")
	f.Add("status", "E1", "", "", "https://example.com/e", "<T>")
	f.Fuzz(func(t *testing.T, member, code, k1, k2, uri, title string) {
		if code == "" {
			return
		}
		typ := Type{URI: uri, Title: title, Status: 422, Code: code, CodeMember: member}
		ext := map[string]any{}
		if k1 != "" {
			ext[k1] = 1
		}
		if k2 != "" {
			ext[k2] = "two"
		}
		twin := &Problem{Type: typ.uri(), Title: title, Status: 422, Detail: "d", Extensions: maps.Clone(ext)}
		if _, ok := twin.Extensions[typ.codeMember()]; !ok {
			twin.Extensions[typ.codeMember()] = code
		}
		shared := typ.New("d")
		own := &Problem{Type: typ.uri(), Title: title, Status: 422, Detail: "d", code: &typeCode{member: typ.codeMember(), code: code}}
		for _, p := range []*Problem{shared, own} {
			if len(ext) > 0 {
				p.Extensions = maps.Clone(ext)
			}
			for name, enc := range map[string]func(*Problem) string{
				"json": func(q *Problem) string { b, err := q.AppendJSON(nil); return fmt.Sprint(string(b), err) },
				"xml":  func(q *Problem) string { b, err := q.AppendXML(nil); return fmt.Sprint(string(b), err) },
				"log":  func(q *Problem) string { return q.LogValue().String() },
			} {
				if got, want := enc(p), enc(twin); got != want {
					t.Fatalf("%s:\n got %s\nwant %s", name, got, want)
				}
			}
			if mayShareName(typ.codeMember()) {
				continue // another member may be sent under its name: see TestCodeIsWhatIsSent
			}
			b, _ := twin.AppendJSON(nil)
			var sent map[string]any
			if err := json.Unmarshal(b, &sent); err != nil {
				t.Fatalf("the twin's JSON %s: %v", b, err)
			}
			want, _ := sent[typ.codeMember()].(string)
			if isStandardMember(typ.codeMember()) {
				want = ""
			}
			if got := p.Code(); sentName(got) != want { // as appendString writes invalid UTF-8
				t.Fatalf("Code() = %q, the client gets %q in %s", got, want, b)
			}
		}
	})
}
