package catalog_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
)

// TestAttackCodeMemberXMLName: the code member is sent in every format,
// and in problem+xml a member is an element, so its name must be an XML
// Name without a colon (RFC 9457 §3.2, Appendix B). Load refuses one that is
// not, naming it, rather than let every XML response of every type drop the
// code.
func TestAttackCodeMemberXMLName(t *testing.T) {
	load := func(member string) (*catalog.Catalog, error) {
		return catalog.Load(strings.NewReader(`{"codeMember": "` + member + `", "typeBase": "https://e.example/errors/",
			"statuses": [], "types": [{"code": "E1", "status": 400, "title": "Bad"}]}`))
	}
	for _, tt := range []struct {
		name, member, want string
	}{
		{"space", "error code", `catalog: codeMember "error code" is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it`},
		{"markup", "x<y", `catalog: codeMember "x<y" is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it`},
		{"leading digit", "1code", `catalog: codeMember "1code" is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it`},
		{"namespace prefix", "x:code", `catalog: codeMember "x:code" is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it`},
		{"leading hyphen", "-code", `catalog: codeMember "-code" is not an XML name (RFC 9457 §3.2), so problem+xml could not carry it`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := load(tt.member)
			assert.True(t, cat == nil, "no catalog")
			assert.EqualError(t, err, tt.want)
		})
	}
	for _, member := range []string{"code", "errorCode", "error-code", "error_code", "_code", "fehlercode", "código", "错误码"} {
		t.Run("accepts "+member, func(t *testing.T) {
			cat, err := load(member)
			require.NoError(t, err)
			typ, ok := cat.Type("E1")
			require.True(t, ok)
			assert.Equal(t, member, typ.CodeMember)
		})
	}
}

// TestAttackPagesStatusPaths: only the canonical form of a status that
// the catalog lists has a page; any other spelling of a number (leading
// zeros, a sign, digits beyond an int, a code no response may carry) is a
// path without a page, a 404 problem, and never a panic.
func TestAttackPagesStatusPaths(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"typeBase": "https://e.example/errors/",
		"statuses": [], "types": [{"code": "E1", "status": 400, "title": "Bad"}]}`))
	require.NoError(t, err)
	h := cat.Pages(nil)
	const notFound = `{"type":"about:blank","title":"Not Found","status":404}`
	for _, tt := range []struct {
		name, path string
		status     int
	}{
		{"canonical", "/errors/status/404", http.StatusOK},
		{"leading zero", "/errors/status/0404", http.StatusNotFound},
		{"plus sign", "/errors/status/+404", http.StatusNotFound},
		{"minus sign", "/errors/status/-404", http.StatusNotFound},
		{"beyond an int", "/errors/status/99999999999999999999999", http.StatusNotFound},
		{"unused code", "/errors/status/418", http.StatusNotFound},
		{"not a number", "/errors/status/abc", http.StatusNotFound},
		{"no number", "/errors/status/", http.StatusNotFound},
		{"trailing slash", "/errors/status/404/", http.StatusNotFound},
		{"escaped slash", "/errors/status%2F404", http.StatusNotFound},
		{"type code escaped", "/errors/%45%31", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://docs.example"+tt.path, nil)
			req.Header.Set("Accept", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code)
			if tt.status == http.StatusNotFound {
				assert.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
				assert.Equal(t, notFound, rec.Body.String())
			}
		})
	}
}
