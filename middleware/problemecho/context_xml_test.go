package problemecho_test

import (
	"encoding/xml"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"

	"github.com/problemkit/problemkit/problem"
)

// TestContextXML: a handler can send a problem with Echo's own c.XML, which
// encodes it with xml.Marshal: the body is Appendix B's encoding, and the
// response is whole (the error handler has nothing to report).
func TestContextXML(t *testing.T) {
	s := newEcho(t, nil, func(e *echo.Echo) {
		e.GET("/x", func(c echo.Context) error {
			p := problem.New(http.StatusNotFound, "no item 42").WithExtension("item", 42)
			return c.XML(p.Status, p)
		})
	})
	resp, body := s.do(t, "GET", "/x", nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, echo.MIMEApplicationXMLCharsetUTF8, resp.Header.Get("Content-Type"))
	assert.Equal(t, xml.Header+`<problem xmlns="urn:ietf:rfc:7807"><type>about:blank</type><status>404</status><detail>no item 42</detail><item>42</item></problem>`, body)
	assert.Empty(t, s.logs.String(), "nothing lost")
}
