package testkit

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// GzipAll is a compressor outside the framework under test, as
// gorilla/handlers' CompressHandler is: it sets Content-Encoding: gzip
// before it calls next, and compresses every byte next writes. It takes
// Accept-Encoding off the request, so that no compressor inside compresses
// again.
func GzipAll(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		w.Header().Set("Content-Encoding", "gzip")
		r.Header.Del("Accept-Encoding")
		zw := gzip.NewWriter(w)
		defer zw.Close()
		next.ServeHTTP(gzipAllWriter{w, zw}, r)
	})
}

type gzipAllWriter struct {
	http.ResponseWriter
	zw *gzip.Writer
}

func (w gzipAllWriter) WriteHeader(code int) {
	w.Header().Del("Content-Length") // of the bytes before compression
	w.ResponseWriter.WriteHeader(code)
}

func (w gzipAllWriter) Write(p []byte) (int, error) { return w.zw.Write(p) }

// Decoded reads resp's body as a client does: decompressed as its
// Content-Encoding says.
func Decoded(t *testing.T, resp *http.Response) string {
	t.Helper()
	var r io.Reader = resp.Body
	switch ce := resp.Header.Get("Content-Encoding"); ce {
	case "":
	case "gzip":
		zr, err := gzip.NewReader(resp.Body)
		require.NoError(t, err, "a body labelled gzip is gzip")
		r = zr
	default:
		require.Failf(t, "a Content-Encoding the client did not ask for", "%q", ce)
	}
	body, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(body)
}

// Gzipped returns s in the gzip content coding.
func Gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := io.WriteString(zw, s)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}
