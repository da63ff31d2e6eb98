package middleware

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"slices"
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
//     is empty or text/plain, as http.Error and ServeMux write), with up to
//     maxHeld bytes of its body, so that Wrap can send a problem instead.
//     An untyped body (no Content-Type) is judged as a whole once it is
//     complete: one JSON object or array passes as written, anything else
//     is replaced. A status no problem may carry (418, reserved) passes.
//
// Wrap makes one for each request, and does not reuse it: code that keeps
// the writer past Wrap (echo.WrapMiddleware does, and Echo writes the
// error a handler returned through it afterwards) must find it working,
// and must never find it handed to another request. Once Wrap has
// finished, a writer that has sent nothing passes everything through (see
// statePassing). Handle, whose writer only its handler function gets,
// which like any handler must not use it after it returns, takes its
// writers from a pool.
type responseWriter struct {
	http.ResponseWriter
	m      *Middleware
	req    *http.Request
	status int // the status sent, or held back while capturing
	state  writerState
	pooled bool // taken from writerPool, and given back when Wrap finishes
	// encoding is the Content-Encoding the response had when Wrap began:
	// set by a compressor further up, which also encodes what Wrap writes.
	encoding []string
	// bare is what the writer keeps of a bare error it holds back (made
	// then: a writer that holds nothing back stays small).
	bare *heldBack
}

// heldBack is what a responseWriter keeps of a bare error response it
// holds back.
type heldBack struct {
	body []byte // the body held back, at most maxHeld bytes
	// fields is, while the error is held back, the header as it stood at
	// its WriteHeader: what net/http would have sent with that status (it
	// copies the header then), and what is sent in its place, whatever the
	// handler changes afterwards. Once that is decided, it is what the
	// handler changed since (a nil value for a field it deleted), put back
	// when the status that takes the held one's place has gone out: as in
	// net/http, such a change is then sent only as a declared trailer's
	// value. See rewind and commit.
	fields []headerField
	// room is where fields starts: an error's header has a few fields
	// (http.Error's two, an Allow). A header of more (CORS, security
	// headers, a request id) costs an allocation more: room for eight
	// would cost every bare error 160 bytes more, which measured slower.
	room [4]headerField
	// text is where body starts: the texts of http.Error and ServeMux
	// are short, and fit with the rest in one allocation.
	text [48]byte
}

// newHeldBack returns a heldBack whose body starts in its own text.
func newHeldBack() *heldBack {
	b := new(heldBack)
	b.body = b.text[:0]
	return b
}

// headerField is one field of a response header: its canonical name and
// its values.
type headerField struct {
	name   string
	values []string
}

type writerState uint8

const (
	stateFresh     writerState = iota // nothing sent yet
	stateCapturing                    // a bare error response is held back
	statePassing                      // nothing sent, and Wrap has finished: nothing is held back any more
	stateCommitted                    // the status has gone out
	stateReplaced                     // committed with the problem that replaced a bare error
)

// maxBareText is how much of a bare error's text is kept for the detail.
const maxBareText = restate.MaxDetail

// maxHeld is how much of a bare error's body is held back to be judged:
// 8 KiB. A longer body is judged by its first 8 KiB as they arrive.
const maxHeld = 8 << 10

// writerPool holds the writers of Handle, whose handler function is the
// only code that gets one (see Middleware.wrap).
var writerPool = sync.Pool{New: func() any { return new(responseWriter) }}

// newWriter returns a writer for w and r: a pooled one, to be given back
// with putWriter, or one made for them.
func (m *Middleware) newWriter(w http.ResponseWriter, r *http.Request, pooled bool) *responseWriter {
	var rw *responseWriter
	if pooled {
		rw = writerPool.Get().(*responseWriter)
	} else {
		rw = new(responseWriter)
	}
	rw.ResponseWriter, rw.m, rw.req, rw.pooled = w, m, r, pooled
	rw.encoding = w.Header()["Content-Encoding"]
	return rw
}

// putWriter gives a pooled writer back.
func putWriter(rw *responseWriter) {
	bare := rw.bare
	if bare != nil {
		body := bare.body[:0]
		if cap(body) > maxBareText {
			body = bare.text[:0] // keep the pool small; long error bodies are rare
		}
		*bare = heldBack{body: body}
	}
	*rw = responseWriter{bare: bare}
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

// retire ends Wrap's part in a writer made for one request (not pooled):
// if nothing has been sent, whoever still holds the writer, as Echo's
// WrapMiddleware does to write an error, or a recoverer further out after
// an abort, writes through it as through the writer below (see
// statePassing).
func (rw *responseWriter) retire() {
	if !rw.pooled && rw.state == stateFresh {
		rw.state = statePassing
	}
}

// discard drops a bare error response held back, keeping the headers the
// handler set before its WriteHeader (see rewind).
func (rw *responseWriter) discard() {
	if rw.state == stateCapturing {
		rw.rewind()
		rw.state, rw.status, rw.bare.body = stateFresh, 0, rw.bare.body[:0]
	}
}

// rewind puts the header back as it stood when the held-back status was
// written (see fields), and keeps what the handler changed since in
// fields, for commit.
func (rw *responseWriter) rewind() {
	h, sent := rw.Header(), rw.bare.fields
	rw.bare.fields = nil
	if sameHeader(h, sent) {
		return // the usual case: nothing changed after WriteHeader
	}
	var late []headerField
	for name, values := range h {
		if was, ok := valuesOf(sent, name); !ok || !slices.Equal(values, was) {
			late = append(late, headerField{name, values})
		}
	}
	for _, f := range sent {
		if _, ok := h[f.name]; !ok {
			late = append(late, headerField{f.name, nil})
		}
	}
	clear(h)
	for _, f := range sent {
		h[f.name] = f.values
	}
	rw.bare.fields = late
}

// commit marks the response committed with code, the status that has just
// gone out, and puts back what the handler changed in the header after a
// status held back before it (see fields).
func (rw *responseWriter) commit(code int) {
	rw.state, rw.status = stateCommitted, code
	if rw.bare == nil || rw.bare.fields == nil {
		return
	}
	h := rw.Header()
	for _, f := range rw.bare.fields {
		if f.values == nil {
			delete(h, f.name)
		} else {
			h[f.name] = f.values
		}
	}
	rw.bare.fields = nil
}

// appendFields appends the fields of h to fields, the values shared with
// it: Set, Add and Del, which replace a field's values or append to them,
// leave those of the copy as they were.
func appendFields(fields []headerField, h http.Header) []headerField {
	for name, values := range h {
		fields = append(fields, headerField{name, values})
	}
	return fields
}

// valuesOf returns the values of the field name among fields.
func valuesOf(fields []headerField, name string) ([]string, bool) {
	for _, f := range fields {
		if f.name == name {
			return f.values, true
		}
	}
	return nil, false
}

// sameHeader reports whether h has the fields, with the same values.
func sameHeader(h http.Header, fields []headerField) bool {
	if len(h) != len(fields) {
		return false
	}
	for _, f := range fields {
		if values, ok := h[f.name]; !ok || !slices.Equal(values, f.values) {
			return false
		}
	}
	return true
}

// Unwrap returns the ResponseWriter this one wraps, for
// http.ResponseController.
func (rw *responseWriter) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

func (rw *responseWriter) WriteHeader(code int) {
	switch {
	case rw.state == statePassing:
		rw.ResponseWriter.WriteHeader(code)
		if code < 100 || code > 199 || code == http.StatusSwitchingProtocols {
			rw.commit(code)
		}
		return
	case rw.state != stateFresh:
		// A second WriteHeader does nothing, as in net/http, minus its
		// "superfluous WriteHeader" log line.
		return
	case code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols:
		rw.ResponseWriter.WriteHeader(code) // informational: more to come
		return
	case rw.m.catalog.Sendable(code) && bareContentType(first(rw.Header()["Content-Type"])):
		rw.state, rw.status = stateCapturing, code
		if rw.bare == nil {
			rw.bare = newHeldBack()
		}
		rw.bare.fields = appendFields(rw.bare.room[:0], rw.Header())
		return
	}
	rw.ResponseWriter.WriteHeader(code)
	rw.commit(code)
}

// bareContentType reports whether a response of this Content-Type is a bare
// error that a problem may replace: none, or text/plain with any
// parameters, in any case, with or without the optional white space around
// it (RFC 9110 §5.5).
func bareContentType(ct string) bool {
	const plain = "text/plain"
	ct = trimLeftOWS(ct)
	if ct == "" {
		return true
	}
	// Of the runes that fold to ASCII letters only U+017F (to s) and
	// U+212A (to k) are not ASCII, and "text/plain" has neither: its first
	// byte is t or T, which tells most types (a problem's own) at once.
	if len(ct) < len(plain) || ct[0]|0x20 != 't' || !strings.EqualFold(ct[:len(plain)], plain) {
		return false
	}
	rest := trimLeftOWS(ct[len(plain):])
	return rest == "" || rest[0] == ';'
}

// trimLeftOWS removes the optional white space (spaces and tabs) that
// starts s. (strings.TrimLeft with a cutset of two builds a set on every
// call, and WriteHeader runs this on every error response.)
func trimLeftOWS(s string) string {
	for s != "" && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}

func (rw *responseWriter) Write(b []byte) (int, error) {
	switch rw.state {
	case stateReplaced:
		return len(b), nil // the rest of the bare error, which the problem replaced
	case stateFresh, statePassing:
		rw.WriteHeader(http.StatusOK)
	case stateCapturing:
		return rw.hold(b)
	}
	return rw.ResponseWriter.Write(b)
}

func (rw *responseWriter) WriteString(s string) (int, error) {
	switch rw.state {
	case stateReplaced:
		return len(s), nil
	case stateFresh, statePassing:
		rw.WriteHeader(http.StatusOK)
	case stateCapturing:
		return rw.hold([]byte(s))
	}
	return io.WriteString(rw.ResponseWriter, s)
}

// hold keeps b, the next piece of a held-back body, for settle to judge
// once the body is complete. A body that grows past maxHeld is judged by
// its first maxHeld bytes as soon as it does: if the response is untyped
// and they are the start of one JSON object or array, the status and the
// body stream on as written; otherwise the problem replaces them.
func (rw *responseWriter) hold(b []byte) (int, error) {
	bare := rw.bare
	room := maxHeld - len(bare.body)
	if len(b) <= room {
		bare.body = append(bare.body, b...)
		return len(b), nil
	}
	bare.body = append(bare.body, b[:room]...)
	if !rw.untyped() || !jsonPrefix(bare.body) {
		rw.m.writeBare(rw)
		return len(b), nil
	}
	if err := rw.release(); err != nil {
		return room, err
	}
	n, err := rw.ResponseWriter.Write(b[room:])
	return room + n, err
}

// settle decides on a held-back response when its body is complete (the
// handler returned) or must go out now (a flush): an untyped body that is
// one JSON object or array is sent as the handler wrote it, with its
// status; anything else is replaced by its problem.
func (rw *responseWriter) settle() {
	if rw.untyped() && jsonValue(rw.bare.body) {
		_ = rw.release() // the handler is done or flushing: nobody to tell
		return
	}
	rw.m.writeBare(rw)
}

// untyped reports whether the handler gave its response no Content-Type,
// so that its body may be JSON that is not labelled as such.
func (rw *responseWriter) untyped() bool { return len(rw.Header()["Content-Type"]) == 0 }

// release sends the held-back status and body as the handler wrote them,
// with the header as it stood at the status (see heldBack.fields).
func (rw *responseWriter) release() error {
	rw.rewind()
	rw.ResponseWriter.WriteHeader(rw.status)
	rw.commit(rw.status)
	held := rw.bare.body
	rw.bare.body = held[:0]
	if len(held) == 0 {
		return nil
	}
	_, err := rw.ResponseWriter.Write(held)
	return err
}

// jsonValue reports whether b is one JSON object or array, with nothing
// but white space around it.
func jsonValue(b []byte) bool {
	return startsComposite(b) && json.Valid(b)
}

// jsonPrefix reports whether b is the start of one JSON object or array,
// valid as far as it goes (a body cut off at maxHeld), or one whole object
// or array followed by nothing but white space.
func jsonPrefix(b []byte) bool {
	if !startsComposite(b) {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
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

// startsComposite reports whether the first byte of b that is not white
// space opens a JSON object or array.
func startsComposite(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// ReadFrom lets io.Copy use the server's sendfile path, as it would without
// the wrapper.
func (rw *responseWriter) ReadFrom(src io.Reader) (int64, error) {
	switch rw.state {
	case stateReplaced:
		return io.Copy(io.Discard, src)
	case stateFresh, statePassing:
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

// Flush sends what is buffered. A bare error response held back is decided
// first, as if the handler had returned: a handler that flushes wants the
// client to see the response now. An untyped body that is one whole JSON
// object or array so far goes out as written, with its status; anything
// else (text, or JSON cut short, which could yet turn into text) is
// replaced by its problem, and what the handler writes after that is
// dropped.
func (rw *responseWriter) Flush() { _ = rw.FlushError() }

// FlushError is Flush reporting the error, as http.ResponseController
// expects.
func (rw *responseWriter) FlushError() error {
	if rw.state == stateCapturing {
		rw.settle()
	}
	err := http.NewResponseController(rw.ResponseWriter).Flush()
	if err == nil && (rw.state == stateFresh || rw.state == statePassing) {
		// The flush sent the headers, with the status the handler left: 200.
		rw.commit(http.StatusOK)
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
