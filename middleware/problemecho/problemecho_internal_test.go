package problemecho

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

var sink http.ResponseWriter

// TestResponseConvertsWithoutAllocating: the writers ErrorHandler hands
// to WriteError hold Echo's response alone, so that they fit in an
// interface as a pointer does.
func TestResponseConvertsWithoutAllocating(t *testing.T) {
	res := echo.NewResponse(httptest.NewRecorder(), echo.New())
	for name, convert := range map[string]func(){
		"response":      func() { sink = response{res} },
		"debugResponse": func() { sink = debugResponse{response{res}} },
	} {
		if allocs := testing.AllocsPerRun(100, convert); allocs != 0 {
			t.Errorf("%s: %v allocations to make it an http.ResponseWriter, want 0", name, allocs)
		}
	}
}
