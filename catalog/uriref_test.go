package catalog_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/catalog"
)

// TestCheckURIReference: what RFC 3986 §4.1 calls a URI reference passes,
// and each way a string can fail to be one is named.
func TestCheckURIReference(t *testing.T) {
	tests := []struct {
		name, s, want string // want "" for none
	}{
		{name: "empty (the same document)", s: ""},
		{name: "absolute", s: "https://example.com/probs/out-of-credit"},
		{name: "path", s: "/account/12345/msgs/abc"},
		{name: "urn", s: "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"},
		{name: "relative, query and fragment", s: "probs/x?v=1#top"},
		{name: "percent-encoded UTF-8", s: "https://example.com/%C3%BC"},
		{name: "port and user", s: "https://user@example.com:8443/x"},
		{name: "IPv6 host with a zone", s: "http://[fe80::1%25en0]:8080/x"},
		{name: "sub-delims", s: "/a!$&'()*+,;=b"},
		{name: "space", s: "/a b", want: `catalog: "/a b" is not a URI reference: it holds U+0020`},
		{name: "control", s: "/a\x7f", want: `catalog: "/a\x7f" is not a URI reference: it holds U+007F`},
		{name: "no-break space", s: "/a\u00a0", want: `catalog: "/a\u00a0" is not a URI reference: it holds U+00A0`},
		{name: "beyond ASCII", s: "https://example.com/ü",
			want: `catalog: "https://example.com/ü" is not a URI reference: it holds U+00FC, which is not ASCII (percent-encode its UTF-8 bytes, RFC 3986 §2.1)`},
		{name: "not UTF-8", s: "/a\xff", want: `catalog: "/a\xff" is not a URI reference: it holds the byte 0xff, which is not UTF-8 (percent-encode the bytes meant, RFC 3986 §2.1)`},
		{name: "less-than", s: "/<x>", want: `catalog: "/<x>" is not a URI reference: it holds U+003C '<', which a URI cannot`},
		{name: "double quote", s: `/"x"`, want: `catalog: "/\"x\"" is not a URI reference: it holds U+0022 '"', which a URI cannot`},
		{name: "brace", s: "/{id}", want: `catalog: "/{id}" is not a URI reference: it holds U+007B '{', which a URI cannot`},
		{name: "vertical bar", s: "/a|b", want: `catalog: "/a|b" is not a URI reference: it holds U+007C '|', which a URI cannot`},
		{name: "backslash", s: `/a\b`, want: `catalog: "/a\\b" is not a URI reference: it holds U+005C '\', which a URI cannot`},
		{name: "caret", s: "/a^b", want: `catalog: "/a^b" is not a URI reference: it holds U+005E '^', which a URI cannot`},
		{name: "backtick", s: "/a`b", want: "catalog: \"/a`b\" is not a URI reference: it holds U+0060 '`', which a URI cannot"},
		{name: "bad escape", s: "/%zz", want: `catalog: "/%zz" is not a URI reference: "%" is not followed by two hex digits`},
		{name: "cut escape", s: "/a%4", want: `catalog: "/a%4" is not a URI reference: "%" is not followed by two hex digits`},
		{name: "hash twice", s: "/a#b#c", want: `catalog: "/a#b#c" is not a URI reference: it holds "#" twice`},
		{name: "bad scheme", s: "1a:b", want: `catalog: "1a:b" is not a URI reference: "1a" is not a scheme`},
		{name: "brackets in the path", s: "https://example.com/a[0]", want: `catalog: "https://example.com/a[0]" is not a URI reference: it holds "[" or "]" outside the host`},
		{name: "brackets in the query", s: "/items?a[]=1", want: `catalog: "/items?a[]=1" is not a URI reference: it holds "[" or "]" outside the host`},
		{name: "brackets around a name", s: "http://[example.com]/", want: `catalog: "http://[example.com]/" is not a URI reference: "example.com" is not an IPv6 address`},
		{name: "bracket in the host", s: "http://a[::1]/", want: `catalog: "http://a[::1]/" is not a URI reference: it holds "[" or "]" outside an IP literal`},
		{name: "bad port", s: "https://example.com:port/x",
			want: `catalog: "https://example.com:port/x" is not a URI reference: parse "https://example.com:port/x": invalid port ":port" after host`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := catalog.CheckURIReference(tt.s)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.want)
			e, ok := errors.AsType[*catalog.URIReferenceError](err)
			require.True(t, ok, "the error is a *URIReferenceError")
			assert.Equal(t, tt.s, e.Ref)
		})
	}
}

// TestCheckURIReferenceAllocs: the common shapes, a path and an absolute
// URI with a plain host, are judged without an allocation.
func TestCheckURIReferenceAllocs(t *testing.T) {
	for _, s := range []string{"/items/42", "https://docs.example.com/errors/APIGW.0301", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "tag:example.com,2024:x#top"} {
		assert.Zero(t, testing.AllocsPerRun(100, func() { _ = catalog.CheckURIReference(s) }), s)
	}
}
