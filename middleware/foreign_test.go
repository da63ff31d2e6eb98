package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/middleware"
	"github.com/problemkit/problemkit/problem"
	"github.com/problemkit/problemkit/problem/problemtest"
)

// TestGatewayRelaysAStatusOnlyWithTheHeaderItNeeds: a gateway that relays
// an upstream's 401, 405 or 407 (problem.Relay) answers its own client
// with a response that keeps the rules of its status: a 405 carries Allow,
// a 407 Proxy-Authenticate (RFC 9110 §15.5.6, §15.5.8), a 401 the
// upstream's challenge, not one of the gateway's realm. Without the header
// kept the status was about the hop to the upstream, and the client gets a
// 502. A 5xx comes without the upstream's detail unless asked for (A20).
func TestGatewayRelaysAStatusOnlyWithTheHeaderItNeeds(t *testing.T) {
	const detail = "db-7 refused the connection"
	all := []string{"Allow", "WWW-Authenticate", "Proxy-Authenticate"}
	tests := []struct {
		name       string
		status     int
		opts       *problem.RelayOptions
		wantStatus int
		wantHeader http.Header // nil values must be absent
		wantDetail string
	}{
		{name: "401 by default", status: 401, wantStatus: 502, wantHeader: http.Header{"Www-Authenticate": nil}},
		{name: "405 by default", status: 405, wantStatus: 502, wantHeader: http.Header{"Allow": nil}},
		{name: "407 by default", status: 407, wantStatus: 502, wantHeader: http.Header{"Proxy-Authenticate": nil}},
		{name: "426 whatever is kept", status: 426, opts: &problem.RelayOptions{Header: all}, wantStatus: 502},
		{
			name: "401 with its challenge kept", status: 401, opts: &problem.RelayOptions{Header: all},
			wantStatus: 401, wantHeader: http.Header{"Www-Authenticate": {`Bearer realm="upstream"`}}, wantDetail: detail,
		},
		{
			name: "405 with Allow kept", status: 405, opts: &problem.RelayOptions{Header: all},
			wantStatus: 405, wantHeader: http.Header{"Allow": {"GET"}}, wantDetail: detail,
		},
		{
			name: "407 with Proxy-Authenticate kept", status: 407, opts: &problem.RelayOptions{Header: all},
			wantStatus: 407, wantHeader: http.Header{"Proxy-Authenticate": {"Basic"}}, wantDetail: detail,
		},
		{name: "500 without its detail", status: 500, wantStatus: 500},
		{name: "500 with its detail, asked for", status: 500, opts: &problem.RelayOptions{Detail5xx: true}, wantStatus: 500, wantDetail: detail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := problemtest.NewUpstream(t, nil, problemtest.ReplyProblem(problem.New(tt.status, detail)).
				WithHeader("Allow", "GET").
				WithHeader("WWW-Authenticate", `Bearer realm="upstream"`).
				WithHeader("Proxy-Authenticate", "Basic"))
			h := middleware.New(&middleware.Options{Mappers: []problem.Mapper{problem.Relay(tt.opts)}}).Handle(
				func(w http.ResponseWriter, r *http.Request) error {
					resp, err := http.Get(up.URL)
					if err != nil {
						return err
					}
					return problem.CheckResponse(resp)
				})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/orders", nil))

			assert.NoError(t, problemtest.Check(rec))
			require.Equal(t, tt.wantStatus, rec.Code)
			for k, want := range tt.wantHeader {
				assert.Equal(t, want, rec.Result().Header[k], k)
			}
			p, err := problem.FromResponse(rec.Result())
			require.NoError(t, err)
			assert.Equal(t, tt.wantDetail, p.Detail)
		})
	}
}
