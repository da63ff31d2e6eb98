package problembody

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

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
