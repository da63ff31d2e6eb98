package middleware_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
)

// upstream answers as a billing service would that sends too much: a
// detail, a "stack" member, an account balance and its own challenge.
func upstream(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/problem+json")
		switch r.URL.Path {
		case "/unauthorized":
			h.Set("WWW-Authenticate", `Bearer realm="billing", error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"type":"https://billing.example/probs/token-expired","title":"Your token has expired.",`+
				`"status":401,"detail":"token 7f3a expired at 12:00","instance":"/accounts/12345",`+
				`"stack":["billing.(*Auth).Check()","main.main()"],"balance":30}`)
		case "/unavailable":
			h.Set("Retry-After", "120")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"status":503,"detail":"maintenance","stack":["billing.main()"]}`)
		case "/client-closed":
			w.WriteHeader(499)
			_, _ = io.WriteString(w, `{"status":499,"detail":"client went away"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// gateway follows the README's client pattern: it calls the upstream,
// reads the problem and returns it wrapped.
func gateway(up *httptest.Server) middleware.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		resp, err := up.Client().Get(up.URL + r.URL.Path)
		if err != nil {
			return err
		}
		p, err := problem.FromResponse(resp)
		if err != nil {
			return err
		}
		return fmt.Errorf("upstream: %w", p)
	}
}

// TestGatewaySendsForeignProblemsOnlyAsMapped: a problem read from a
// response is the upstream's. By default the gateway's client gets a 500
// that says nothing of it, as for any unknown error, and the log gets the
// cause. A mapper decides otherwise: Relay sends the upstream's type,
// title, status and detail, and what else it is told to keep; MapIs maps it
// by its type.
func TestGatewaySendsForeignProblemsOnlyAsMapped(t *testing.T) {
	up := upstream(t)
	tokenExpired := problem.Type{URI: "https://billing.example/probs/token-expired"}
	tests := []struct {
		name       string
		mappers    []problem.Mapper
		path       string
		wantStatus int
		wantBody   string
		wantHeader http.Header // headers that must be there; nil values must be absent
	}{
		{
			name:       "by default, a 500 with nothing of the upstream",
			path:       "/unauthorized",
			wantStatus: http.StatusInternalServerError,
			wantBody:   `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/unauthorized"}`,
			wantHeader: http.Header{"Www-Authenticate": nil},
		},
		{
			name:       "by default, not even the upstream's Retry-After",
			path:       "/unavailable",
			wantStatus: http.StatusInternalServerError,
			wantBody:   `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/unavailable"}`,
			wantHeader: http.Header{"Retry-After": nil},
		},
		{
			name:       "relayed: type, title, status and detail, and the gateway's own challenge",
			mappers:    []problem.Mapper{problem.Relay(nil)},
			path:       "/unauthorized",
			wantStatus: http.StatusUnauthorized,
			wantBody: `{"type":"https://billing.example/probs/token-expired","title":"Your token has expired.",` +
				`"status":401,"detail":"token 7f3a expired at 12:00","instance":"/unauthorized"}`,
			wantHeader: http.Header{"Www-Authenticate": {"Bearer"}},
		},
		{
			name:       "relayed with the members and headers asked for",
			mappers:    []problem.Mapper{problem.Relay(&problem.RelayOptions{Extensions: []string{"balance"}, Header: []string{"WWW-Authenticate"}})},
			path:       "/unauthorized",
			wantStatus: http.StatusUnauthorized,
			wantBody: `{"type":"https://billing.example/probs/token-expired","title":"Your token has expired.",` +
				`"status":401,"detail":"token 7f3a expired at 12:00","instance":"/unauthorized","balance":30}`,
			wantHeader: http.Header{"Www-Authenticate": {`Bearer realm="billing", error="invalid_token"`}},
		},
		{
			name:       "relayed without the upstream's Retry-After",
			mappers:    []problem.Mapper{problem.Relay(nil)},
			path:       "/unavailable",
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   `{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"maintenance","instance":"/unavailable"}`,
			wantHeader: http.Header{"Retry-After": nil},
		},
		{
			name:       "relayed with the upstream's Retry-After, asked for",
			mappers:    []problem.Mapper{problem.Relay(&problem.RelayOptions{Header: []string{"Retry-After"}})},
			path:       "/unavailable",
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   `{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"maintenance","instance":"/unavailable"}`,
			wantHeader: http.Header{"Retry-After": {"120"}},
		},
		{
			name:       "a status the gateway cannot relay is a 502",
			mappers:    []problem.Mapper{problem.Relay(nil)},
			path:       "/client-closed",
			wantStatus: http.StatusBadGateway,
			wantBody:   `{"type":"about:blank","title":"Bad Gateway","status":502,"instance":"/client-closed"}`,
		},
		{
			name: "mapped by its type",
			mappers: []problem.Mapper{problem.MapIs(tokenExpired, problem.Type{
				URI: "https://example.com/probs/billing-unavailable", Title: "Billing is unavailable.", Status: http.StatusServiceUnavailable,
			})},
			path:       "/unauthorized",
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   `{"type":"https://example.com/probs/billing-unavailable","title":"Billing is unavailable.","status":503,"instance":"/unauthorized"}`,
			wantHeader: http.Header{"Www-Authenticate": nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newServer(t, &middleware.Options{Mappers: tt.mappers}, func(m *middleware.Middleware) http.Handler {
				return m.Handle(gateway(up))
			})
			resp, body := ts.do(t, "GET", tt.path, nil)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantBody, body)
			for k, want := range tt.wantHeader {
				assert.Equal(t, want, resp.Header[k], k)
			}

			records := ts.logs.Records(t)
			require.Len(t, records, 1)
			assert.Contains(t, records[0]["error"], "upstream: ", "the log has the cause")
			if tt.wantStatus >= 500 {
				assert.Equal(t, "ERROR", records[0]["level"])
			}
		})
	}
}

// TestGatewayLogsTheForeignProblem: the upstream's status, title and
// detail are in the log of the 500 that hides them.
func TestGatewayLogsTheForeignProblem(t *testing.T) {
	up := upstream(t)
	ts := newServer(t, nil, func(m *middleware.Middleware) http.Handler { return m.Handle(gateway(up)) })
	resp, _ := ts.do(t, "GET", "/unauthorized", nil)
	require.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	records := ts.logs.Records(t)
	require.Len(t, records, 1)
	assert.Equal(t, "ERROR", records[0]["level"])
	assert.Equal(t, "upstream: 401 Your token has expired.: token 7f3a expired at 12:00", records[0]["error"])
}
