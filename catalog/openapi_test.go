package catalog_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
	"github.com/problemkit/problemkit/internal/golden"
)

func TestWriteOpenAPI(t *testing.T) {
	vendor, err := catalog.Load(strings.NewReader(vendorCatalog))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, vendor.WriteOpenAPI(&buf))
	golden.Assert(t, "vendor-openapi.json", buf.Bytes())

	var doc struct {
		OpenAPI    string `json:"openapi"`
		Components struct {
			Schemas   map[string]map[string]any `json:"schemas"`
			Responses map[string]struct {
				Description string                    `json:"description"`
				Headers     map[string]map[string]any `json:"headers"`
				Content     map[string]struct {
					Schema  map[string]string `json:"schema"`
					Example map[string]any    `json:"example"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, "3.1.0", doc.OpenAPI)

	schema := doc.Components.Schemas["Problem"]
	props := schema["properties"].(map[string]any)
	status := props["status"].(map[string]any)
	assert.Equal(t, "integer", status["type"])
	assert.Equal(t, 100.0, status["minimum"])
	assert.Equal(t, 599.0, status["maximum"])
	assert.Equal(t, "uri-reference", props["type"].(map[string]any)["format"])
	assert.Equal(t, "uri-reference", props["instance"].(map[string]any)["format"])
	assert.NotContains(t, schema, "required", "every member is optional (RFC 9457 Appendix A)")
	assert.Equal(t, map[string]any{"name": "problem", "namespace": "urn:ietf:rfc:7807"}, schema["xml"])

	// One response per sendable 4xx/5xx entry, each referring to the schema.
	var want int
	for e := range vendor.All() {
		if e.Code >= 400 && e.Phrase != "(Unused)" {
			want++
		}
	}
	assert.Len(t, doc.Components.Responses, want)
	for name, r := range doc.Components.Responses {
		assert.Regexp(t, `^[A-Za-z0-9]+$`, name)
		for _, mt := range []string{"application/problem+json", "application/problem+xml"} {
			assert.Equal(t, "#/components/schemas/Problem", r.Content[mt].Schema["$ref"], "%s %s", name, mt)
		}
		example := r.Content["application/problem+json"].Example
		assert.Equal(t, "about:blank", example["type"])
	}
	assert.Contains(t, doc.Components.Responses, "BadRequest")
	assert.Contains(t, doc.Components.Responses, "TooManyRequests")
	assert.Contains(t, doc.Components.Responses, "ServerTimeout")
	assert.Contains(t, doc.Components.Responses, "RequestTimeOut")
	assert.Contains(t, doc.Components.Responses["TooManyRequests"].Headers, "Retry-After")
	assert.Contains(t, doc.Components.Responses["MethodNotAllowed"].Headers, "Allow")
	assert.Equal(t, true, doc.Components.Responses["Unauthorized"].Headers["WWW-Authenticate"]["required"])
	assert.Contains(t, doc.Components.Responses["ProxyAuthenticationRequired"].Headers, "Proxy-Authenticate")
	assert.Empty(t, doc.Components.Responses["NotFound"].Headers)
	assert.Equal(t, 418.0, doc.Components.Responses["Teapot"].Content["application/problem+json"].Example["status"])
}

func TestOpenAPINameCollisions(t *testing.T) {
	cat, err := catalog.Load(strings.NewReader(`{"statuses":[
		{"code":400,"phrase":"Failed"},{"code":500,"phrase":"Failed"},{"code":501,"phrase":"%%%"},
		{"code":403,"phrase":"A"},{"code":404,"phrase":"A405"},{"code":405,"phrase":"A"}]}`))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, cat.WriteOpenAPI(&buf))
	var doc struct {
		Components struct {
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Contains(t, doc.Components.Responses, "Failed")
	assert.Contains(t, doc.Components.Responses, "Failed500")
	assert.Contains(t, doc.Components.Responses, "501")
	for _, name := range []string{"A", "A405", "A405_2"} { // 405: A, then A405, are taken
		_, ok := doc.Components.Responses[name]
		assert.True(t, ok, "response %s", name)
	}
	var want int
	for e := range cat.All() {
		if e.Code >= 400 && e.Phrase != "(Unused)" {
			want++
		}
	}
	assert.Len(t, doc.Components.Responses, want, "no response is lost to a name collision")
}
