package problem

import (
	"fmt"
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
	var q *Problem
	assert.Equal(t, 1.0, testing.AllocsPerRun(50, func() { q = other.New("d") }), "one allocation, the problem with its code member")
	assert.Nil(t, q.compiled(), "typeCodes is full: not shared")
	_, cached := typeCodes.m.Load(other)
	assert.False(t, cached)
	assert.NotNil(t, shared.New("d").compiled(), "a Type it holds is still shared")

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
