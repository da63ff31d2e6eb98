package middleware

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/problemkit/problemkit/internal/restate"
)

// responseWriter is the ResponseWriter that Wrap hands down the stack. It
// passes everything through, except:
//
//   - it remembers whether the response is committed (its status went out),
//     so that an error after that is logged instead of written twice;
//   - it holds back a bare error response (a 4xx or 5xx whose Content-Type
//     is empty or text/plain, as http.Error and ServeMux write), keeping up
//     to maxBareText bytes of its text, so that Wrap can send a problem
//     instead. A status no problem may carry (418, reserved) passes.
//
// It is pooled: Wrap takes one per request and returns it afterwards.
type responseWriter struct {
	http.ResponseWriter
	m      *Middleware
	req    *http.Request
	status int // the status sent, or held back while capturing
	state  writerState
	// encoding is the Content-Encoding the response had when Wrap began:
	// set by a compressor further up, which also encodes what Wrap writes.
	encoding []string
	text     []byte // the bare error's text, while capturing
	long     bool   // the text was longer than maxBareText
}

type writerState uint8

const (
	stateFresh     writerState = iota // nothing sent yet
	stateCapturing                    // a bare error response is held back
	stateCommitted                    // the status has gone out
	stateReplaced                     // committed with the problem that replaced a bare error
)

// maxBareText is how much of a bare error's text is kept for the detail.
const maxBareText = restate.MaxDetail

var writerPool = sync.Pool{New: func() any { return new(responseWriter) }}

func (m *Middleware) getWriter(w http.ResponseWriter, r *http.Request) *responseWriter {
	rw := writerPool.Get().(*responseWriter)
	rw.ResponseWriter, rw.m, rw.req = w, m, r
	rw.encoding = w.Header()["Content-Encoding"]
	return rw
}

func putWriter(rw *responseWriter) {
	text := rw.text[:0]
	if cap(text) > maxBareText {
		text = nil
	}
	*rw = responseWriter{text: text}
	writerPool.Put(rw)
}

func (rw *responseWriter) committed() bool { return rw.state >= stateCommitted }

// restoreEncoding puts back the Content-Encoding the response had when Wrap
// began, before Wrap writes a problem past the writers below it: whatever
// they, or a handler, set since then does not describe the problem's body.
func (rw *responseWriter) restoreEncoding() {
	if rw.encoding == nil {
		delete(rw.Header(), "Content-Encoding")
	} else {
		rw.Header()["Content-Encoding"] = rw.encoding
	}
}

// discard drops a bare error response held back, keeping the headers the
// handler set.
func (rw *responseWriter) discard() {
	if rw.state == stateCapturing {
		rw.state, rw.status, rw.text, rw.long = stateFresh, 0, rw.text[:0], false
	}
}

// Unwrap returns the ResponseWriter this one wraps, for
// http.ResponseController.
func (rw *responseWriter) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

func (rw *responseWriter) WriteHeader(code int) {
	switch {
	case rw.state != stateFresh:
		// A second WriteHeader does nothing, as in net/http, minus its
		// "superfluous WriteHeader" log line.
		return
	case code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols:
		rw.ResponseWriter.WriteHeader(code) // informational: more to come
		return
	case rw.m.catalog.Sendable(code) && bareContentType(first(rw.Header()["Content-Type"])):
		rw.state, rw.status = stateCapturing, code
		return
	}
	rw.ResponseWriter.WriteHeader(code)
	rw.state, rw.status = stateCommitted, code
}

// bareContentType reports whether a response of this Content-Type is a bare
// error that a problem may replace: none, or text/plain with any
// parameters.
func bareContentType(ct string) bool {
	const plain = "text/plain"
	if ct == "" {
		return true
	}
	if len(ct) < len(plain) || !strings.EqualFold(ct[:len(plain)], plain) {
		return false
	}
	rest := strings.TrimLeft(ct[len(plain):], " \t")
	return rest == "" || rest[0] == ';'
}

func (rw *responseWriter) Write(b []byte) (int, error) {
	switch rw.state {
	case stateReplaced:
		return len(b), nil // the rest of the bare error, which the problem replaced
	case stateFresh:
		rw.WriteHeader(http.StatusOK)
	case stateCapturing:
		if rw.passThrough(b) {
			break
		}
		rw.capture(b)
		return len(b), nil
	}
	return rw.ResponseWriter.Write(b)
}

func (rw *responseWriter) WriteString(s string) (int, error) {
	switch rw.state {
	case stateReplaced:
		return len(s), nil
	case stateFresh:
		rw.WriteHeader(http.StatusOK)
	case stateCapturing:
		if rw.passThrough([]byte(s)) {
			break
		}
		rw.capture([]byte(s))
		return len(s), nil
	}
	return io.WriteString(rw.ResponseWriter, s)
}

// passThrough decides, at the first write of a held-back response without a
// Content-Type, whether it is in fact a typed body (JSON), which is sent
// as the handler wrote it. It then sends the held-back status.
func (rw *responseWriter) passThrough(b []byte) bool {
	if len(rw.text) > 0 || rw.long || len(rw.Header()["Content-Type"]) > 0 || !looksLikeJSON(b) {
		return false
	}
	rw.ResponseWriter.WriteHeader(rw.status)
	rw.state = stateCommitted
	return true
}

// looksLikeJSON reports whether b, the first write of a body, is the start
// of a JSON object or array: valid as far as it goes, for a body written in
// pieces (io.Copy, a streaming encoder). Text that merely starts with a
// bracket ("[ERROR] dial tcp ...") is not.
func looksLikeJSON(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return jsonPrefix(b)
		}
		return false
	}
	return false
}

// jsonPrefix reports whether b is one JSON object or array, or the start of
// one, looking at its first 4 KiB: whatever follows a whole value must be
// space.
func jsonPrefix(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b[:min(len(b), 4<<10)]))
	depth := 0
	for {
		tok, err := dec.Token()
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			return true // cut off: valid as far as it goes
		default:
			return false
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			if depth--; depth == 0 {
				return len(bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n")) == 0
			}
		}
	}
}

func (rw *responseWriter) capture(b []byte) {
	room := maxBareText - len(rw.text)
	if len(b) > room {
		b, rw.long = b[:max(room, 0)], true
	}
	rw.text = append(rw.text, b...)
}

// ReadFrom lets io.Copy use the server's sendfile path, as it would without
// the wrapper.
func (rw *responseWriter) ReadFrom(src io.Reader) (int64, error) {
	switch rw.state {
	case stateReplaced:
		return io.Copy(io.Discard, src)
	case stateFresh:
		rw.WriteHeader(http.StatusOK)
	case stateCapturing:
		return io.Copy(writerOnly{rw}, src)
	}
	if rf, ok := rw.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(writerOnly{rw.ResponseWriter}, src)
}

// writerOnly hides every method but Write, so io.Copy does not loop back
// into ReadFrom.
type writerOnly struct{ io.Writer }

// Flush sends what is buffered. A bare error response held back is first
// replaced by its problem: a handler that flushes wants the client to see
// the response now.
func (rw *responseWriter) Flush() { _ = rw.FlushError() }

// FlushError is Flush reporting the error, as http.ResponseController
// expects.
func (rw *responseWriter) FlushError() error {
	if rw.state == stateCapturing {
		rw.m.writeBare(rw)
	}
	err := http.NewResponseController(rw.ResponseWriter).Flush()
	if err == nil && rw.state == stateFresh {
		// The flush sent the headers, with the status the handler left: 200.
		rw.state, rw.status = stateCommitted, http.StatusOK
	}
	return err
}

// Hijack hands the connection over; from then on the middleware writes
// nothing.
func (rw *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(rw.ResponseWriter).Hijack()
	if err == nil {
		rw.state = stateCommitted
	}
	return conn, brw, err
}
