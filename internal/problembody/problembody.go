// Package problembody reads the body of a problem response for the
// packages that read one: package problem (FromResponse and
// PeekResponse), retry's Transport through PeekResponse, and problemtest's
// Check. It holds the test of the media type (RFC 9457 §3, Appendix B)
// and the bounded read, so that all of them take the same bodies for
// problems and stop at the same size.
package problembody

import (
	"bytes"
	"errors"
	"io"
	"mime"
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
