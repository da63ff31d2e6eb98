// Package problembody reads the body of a problem response for the
// packages that read one: package problem (FromResponse and
// PeekResponse), retry's Transport through PeekResponse, and problemtest's
// Check. It holds the test of the media type (RFC 9457 §3, Appendix B),
// the bounded read and the removal of the content coding, so that all of
// them take the same bodies for problems, decode them alike and stop at
// the same size.
package problembody

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
)

// Max is the largest problem body read: 1 MiB.
const Max = 1 << 20

// Format is the format of a problem body, as its media type names it.
type Format uint8

const (
	// None: not a problem media type.
	None Format = iota
	// JSON: application/problem+json.
	JSON
	// XML: application/problem+xml.
	XML
)

// MediaType returns the format that the Content-Type value ct names and
// its media type, in lower case and without parameters. A media type of
// another kind is None; an error says that ct does not parse as a media
// type (an empty ct among them).
func MediaType(ct string) (Format, string, error) {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return None, "", err
	}
	switch mt {
	case "application/problem+json":
		return JSON, mt, nil
	case "application/problem+xml":
		return XML, mt, nil
	}
	return None, mt, nil
}

// ErrTooLarge is returned by [Read] and [Peek] for a body larger than
// [Max] bytes.
var ErrTooLarge = errors.New("body larger than 1 MiB")

// Read reads r to its end, or to the byte after Max: it returns the bytes
// read and ErrTooLarge when the body is larger than Max, or the error of
// the read.
func Read(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, Max+1))
	if err != nil {
		return data, err
	}
	if len(data) > Max {
		return data, ErrTooLarge
	}
	return data, nil
}

// Peek is [Read] that leaves body as it came: it returns, beside the bytes
// and the error, a body that reads the bytes Read read and then the rest
// of body, and closes body. The caller puts it in place of body, whatever
// the error.
func Peek(body io.ReadCloser) ([]byte, io.ReadCloser, error) {
	data, err := Read(body)
	return data, replay{Reader: io.MultiReader(bytes.NewReader(data), body), Closer: body}, err
}

// replay is a body whose start was read ahead: it reads that start, then
// the rest, and closes the real body.
type replay struct {
	io.Reader
	io.Closer
}

// Decode returns data, a body sent with the content codings that codings,
// the values of its Content-Encoding fields, name, without them (RFC 9110
// §8.4): net/http's Transport leaves them on when the request asked for
// them with its own Accept-Encoding. No coding, an empty one and identity
// leave data as it is; gzip (and x-gzip, §8.4.1.3) is decoded, to at most
// Max bytes (more is ErrTooLarge, as for [Read]). Any other coding, or
// more than one, is an error that names them; so is gzip that does not
// decode. The errors are for the caller to prefix with its package's name.
func Decode(codings []string, data []byte) ([]byte, error) {
	if len(codings) == 0 || len(data) == 0 {
		return data, nil
	}
	coding := strings.Join(codings, ", ")
	switch strings.ToLower(strings.Trim(coding, " \t")) { // OWS, RFC 9110 §5.6.3
	case "", "identity":
		return data, nil
	case "gzip", "x-gzip":
	default:
		return nil, fmt.Errorf("Content-Encoding %q not decoded", coding)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err == nil {
		data, err = Read(zr)
	}
	if errors.Is(err, ErrTooLarge) {
		return nil, ErrTooLarge
	}
	if err != nil {
		return nil, fmt.Errorf("decoding Content-Encoding gzip: %w", err)
	}
	return data, nil
}
