package retry

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestRateLimitReset: the reset of the used-up limits of a RateLimit
// field, read as an RFC 9651 list; a field that does not parse is
// ignored whole.
func TestRateLimitReset(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  time.Duration
		found bool
	}{
		{"none", nil, 0, false},
		{"used up", []string{`"default";r=0;t=30`}, 30 * time.Second, true},
		{"quota left", []string{`"default";r=5;t=30`}, 0, false},
		{"used up without a reset", []string{`"default";r=0`}, 0, false},
		{"the latest reset", []string{`"a";r=0;t=10, "b";r=0;t=40, "c";r=1;t=90`}, 40 * time.Second, true},
		{"over several lines", []string{`"a";r=0;t=10`, `"b";r=0;t=20`}, 20 * time.Second, true},
		{"a token name", []string{`default;r=0;t=3`}, 3 * time.Second, true},
		{"other parameters", []string{`"d";pk=:cHsdsRa894==:;r=0;t=3;x=?1;y="s";z=1.5;w=@1700000000;tok=abc/d`}, 3 * time.Second, true},
		{"spaces", []string{`  "d"; r=0; t=3 ,  "e";r=0;t=4`}, 4 * time.Second, true},
		{"a later parameter wins", []string{`"d";t=90;r=0;t=3`}, 3 * time.Second, true},
		{"a bare key is true, not a number", []string{`"d";r;t=3`}, 0, false},
		{"zero reset", []string{`"d";r=0;t=0`}, 0, true},
		{"a decimal is no integer", []string{`"d";r=0;t=3.5`}, 0, false},
		{"the largest integer", []string{`"d";r=0;t=999999999999999`}, time.Duration(1<<63-1) / time.Second * time.Second, true},
		{"too many digits", []string{`"d";r=0;t=9999999999999999`}, 0, false},
		{"a trailing comma", []string{`"d";r=0;t=3,`}, 0, false},
		{"an empty member", []string{`"d";r=0;t=3,,"e"`}, 0, false},
		{"an inner list", []string{`("d");r=0;t=3`}, 0, false},
		{"an open string", []string{`"d;r=0;t=3`}, 0, false},
		{"a bad escape", []string{`"d\x";r=0;t=3`}, 0, false},
		{"an upper-case key", []string{`"d";R=0;t=3`}, 0, false},
		{"garbage after an item", []string{`"d";r=0;t=3 x`}, 0, false},
		{"a negative reset", []string{`"d";r=0;t=-3`}, 0, false},
		{"a bad boolean", []string{`"d";r=0;t=3;x=?2`}, 0, false},
		{"an open byte sequence", []string{`"d";r=0;t=3;pk=:abc`}, 0, false},
		{"an empty field", []string{``}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, l := range tt.lines {
				h.Add("RateLimit", l)
			}
			got, found := rateLimitReset(h)
			assert.Equal(t, tt.found, found, "found")
			assert.Equal(t, tt.want, got)
		})
	}
}

// FuzzRateLimitReset: no input makes the parser panic or hang, and a
// reset is never negative.
func FuzzRateLimitReset(f *testing.F) {
	for _, s := range []string{`"default";r=0;t=30`, `a;r=0;t=1, b;r=0;t=2`, `"d";pk=:cHsdsRa894==:;r=0;t=3`, `("x")`, `"\"";r=0;t=1`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, _ := rateLimitReset(http.Header{"Ratelimit": {s}})
		if d < 0 {
			t.Fatalf("rateLimitReset(%q) = %v, want no negative reset", s, d)
		}
	})
}
