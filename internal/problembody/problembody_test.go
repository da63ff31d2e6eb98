package problembody

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/problemkit/problemkit/internal/testkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMediaType(t *testing.T) {
	tests := []struct {
		name    string
		ct      string
		want    Format
		wantMT  string
		wantErr bool
	}{
		{name: "json", ct: "application/problem+json", want: JSON, wantMT: "application/problem+json"},
		{name: "xml", ct: "application/problem+xml", want: XML, wantMT: "application/problem+xml"},
		{name: "parameters and case", ct: `Application/Problem+JSON; charset="utf-8"`, want: JSON, wantMT: "application/problem+json"},
		{name: "another type", ct: "application/json", want: None, wantMT: "application/json"},
		{name: "text", ct: "text/plain; charset=utf-8", want: None, wantMT: "text/plain"},
		{name: "empty", ct: "", want: None, wantErr: true},
		{name: "does not parse", ct: "application/problem+json; =x", want: None, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, mt, err := MediaType(tt.ct)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantMT, mt)
			assert.Equal(t, tt.wantErr, err != nil, "error %v", err)
		})
	}
}

// closer records whether it was closed.
type closer struct {
	io.Reader
	closed bool
}

func (c *closer) Close() error { c.closed = true; return nil }

// TestPeek: Peek reads at most Max bytes, and the body it returns reads
// the whole body as it came, and closes the original.
func TestPeek(t *testing.T) {
	for _, tt := range []struct {
		name    string
		size    int
		wantErr error
	}{
		{"empty", 0, nil},
		{"small", 10, nil},
		{"Max", Max, nil},
		{"above Max", Max + 1, ErrTooLarge},
		{"far above Max", 3 * Max, ErrTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			content := bytes.Repeat([]byte("x"), tt.size)
			orig := &closer{Reader: bytes.NewReader(content)}
			data, body, err := Peek(orig)
			assert.ErrorIs(t, err, tt.wantErr)
			assert.LessOrEqual(t, len(data), Max+1, "read no more than a byte past Max")
			all, err := io.ReadAll(body)
			require.NoError(t, err)
			assert.Equal(t, content, all, "the body reads as it came")
			require.NoError(t, body.Close())
			assert.True(t, orig.closed)
		})
	}
}

func TestReadError(t *testing.T) {
	broken := errors.New("connection reset")
	_, err := Read(io.MultiReader(strings.NewReader("{"), errReader{broken}))
	assert.ErrorIs(t, err, broken)
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestDecode: Decode removes the gzip content coding (RFC 9110 §8.4.1.3,
// x-gzip its alias), within Max decoded bytes, passes identity and no
// coding, and refuses any other coding, or more than one.
func TestDecode(t *testing.T) {
	const body = `{"detail":"balance 30"}`
	tests := []struct {
		name    string
		codings []string
		data    []byte
		want    string
		wantErr string
		is      error
	}{
		{name: "none", data: []byte(body), want: body},
		{name: "identity", codings: []string{" identity "}, data: []byte(body), want: body},
		{name: "an empty field", codings: []string{""}, data: []byte(body), want: body},
		{name: "gzip", codings: []string{"gzip"}, data: testkit.Gzipped(t, body), want: body},
		{name: "x-gzip, any case", codings: []string{"X-GZip"}, data: testkit.Gzipped(t, body), want: body},
		{name: "an empty gzip body", codings: []string{"gzip"}, data: nil, want: ""},
		{name: "Max decoded", codings: []string{"gzip"}, data: testkit.Gzipped(t, strings.Repeat("a", Max)), want: strings.Repeat("a", Max)},
		{name: "above Max decoded", codings: []string{"gzip"}, data: testkit.Gzipped(t, strings.Repeat("a", Max+1)), is: ErrTooLarge,
			wantErr: "body larger than 1 MiB"},
		{name: "not gzip", codings: []string{"gzip"}, data: []byte(body), wantErr: "decoding Content-Encoding gzip: gzip: invalid header"},
		{name: "cut short", codings: []string{"gzip"}, data: testkit.Gzipped(t, body)[:20], wantErr: "decoding Content-Encoding gzip: unexpected EOF"},
		{name: "another coding", codings: []string{"br"}, data: []byte("\x1b\x00"), wantErr: `Content-Encoding "br" not decoded`},
		{name: "two codings in one field", codings: []string{"gzip, gzip"}, data: testkit.Gzipped(t, body), wantErr: `Content-Encoding "gzip, gzip" not decoded`},
		{name: "two fields", codings: []string{"gzip", "gzip"}, data: testkit.Gzipped(t, body), wantErr: `Content-Encoding "gzip, gzip" not decoded`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.codings, tt.data)
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				if tt.is != nil {
					assert.ErrorIs(t, err, tt.is)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}
