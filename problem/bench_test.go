package problem

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/problemkit/problemkit/internal/testkit"
)

func fiveMembers() *Problem {
	return &Problem{
		Type:     "https://example.com/probs/out-of-credit",
		Title:    "You do not have enough credit.",
		Status:   403,
		Detail:   "Your current balance is 30, but that costs 50.",
		Instance: "/account/12345/msgs/abc",
	}
}

// appendFloor is the floor: the five members written by hand between fixed
// keys, each string escaped the plain way (quote, backslash and control
// characters; no HTML escapes, no UTF-8 checks).
func appendFloor(b []byte, p *Problem) []byte {
	b = append(b, `{"type":`...)
	b = appendPlainString(b, p.Type)
	b = append(b, `,"title":`...)
	b = appendPlainString(b, p.Title)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(p.Status), 10)
	b = append(b, `,"detail":`...)
	b = appendPlainString(b, p.Detail)
	b = append(b, `,"instance":`...)
	b = appendPlainString(b, p.Instance)
	return append(b, '}')
}

func appendPlainString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			start = i + 1
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendCopy is no encoder at all: it copies the members between fixed keys
// without looking at them. It bounds what any encoder could reach.
func appendCopy(b []byte, p *Problem) []byte {
	b = append(b, `{"type":"`...)
	b = append(b, p.Type...)
	b = append(b, `","title":"`...)
	b = append(b, p.Title...)
	b = append(b, `","status":`...)
	b = strconv.AppendInt(b, int64(p.Status), 10)
	b = append(b, `,"detail":"`...)
	b = append(b, p.Detail...)
	b = append(b, `","instance":"`...)
	b = append(b, p.Instance...)
	return append(b, `"}`...)
}

func TestFloorMatches(t *testing.T) {
	p := fiveMembers()
	got, err := p.AppendJSON(nil)
	for name, floor := range map[string]func([]byte, *Problem) []byte{"floor": appendFloor, "copy": appendCopy} {
		if err != nil || string(got) != string(floor(nil, p)) {
			t.Fatalf("the %s writes other bytes:\n%s\n%s", name, got, floor(nil, p))
		}
	}
}

// TestEncodeAllocs holds the encoder to its budget: a 5-member problem into a
// reused buffer allocates nothing.
func TestEncodeAllocs(t *testing.T) {
	p := fiveMembers()
	buf := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(100, func() {
		buf, _ = p.AppendJSON(buf[:0])
	})
	if allocs > 0 {
		t.Errorf("AppendJSON allocates %v times, want 0", allocs)
	}
}

func BenchmarkEncode(b *testing.B) {
	p := fiveMembers()
	buf := make([]byte, 0, 512)
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf = appendFloor(buf[:0], p)
		}
	})
	b.Run("copy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf = appendCopy(buf[:0], p)
		}
	})
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = p.AppendJSON(buf[:0])
		}
	})
	b.Run("AppendJSON+extensions", func(b *testing.B) {
		q := fiveMembers()
		q.Extensions = map[string]any{"balance": 30, "accounts": []string{"/account/12345", "/account/67890"}}
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = q.AppendJSON(buf[:0])
		}
	})
	b.Run("AppendJSON+errors", func(b *testing.B) {
		// A validation failure of three fields, as problemvalidator makes it.
		q := New(http.StatusUnprocessableEntity, "")
		q.Extensions = map[string]any{"errors": InputErrors{
			{Detail: "must be at least 3 characters long", Pointer: "#/name", Rule: "min", Param: "3"},
			{Detail: "must be an email address", Pointer: "#/email", Rule: "email"},
			{Detail: "must be 18 or greater", Pointer: "#/age", Rule: "gte", Param: "18"},
		}}
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = q.AppendJSON(buf[:0])
		}
	})
	b.Run("AppendXML", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = p.AppendXML(buf[:0])
		}
	})
}

func BenchmarkResolve(b *testing.B) {
	chain := fmt.Errorf("handler: %w", fmt.Errorf("service: %w", fmt.Errorf("store: %w", New(404, "missing"))))
	unknown := fmt.Errorf("handler: %w", fmt.Errorf("service: %w", fmt.Errorf("store: %w", errors.New("disk"))))
	b.Run("problem-3-deep", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = Resolve(chain)
		}
	})
	b.Run("unknown-3-deep", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = Resolve(unknown)
		}
	})
	b.Run("errors.As-3-deep", func(b *testing.B) {
		// The floor: what finding a *Problem costs with errors.As alone.
		b.ReportAllocs()
		for b.Loop() {
			var p *Problem
			_ = errors.As(chain, &p)
		}
	})
}

// Accept header values as clients send them, for the negotiation benchmarks.
var benchAccepts = []struct{ name, accept string }{
	{"none", ""},
	{"any", "*/*"},
	{"json", "application/json"},
	{"problem+json", "application/problem+json"},
	{"xml", "application/xml"},
	{"chromium", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"},
	{"hostile-1MiB", hostileAccept()},
}

// hostileAccept is a 1 MiB Accept header of ranges that each match the
// type of several formats, so that a parser without a bound compares
// every one of them.
func hostileAccept() string {
	const r = "application/x;q=0.5, "
	return strings.Repeat(r, (1<<20)/len(r))
}

func BenchmarkNegotiate(b *testing.B) {
	for _, bench := range benchAccepts {
		var accept []string
		if bench.accept != "" {
			accept = []string{bench.accept}
		}
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = negotiate(accept, 0, false)
			}
		})
	}
}

// BenchmarkRespondNotFound is the writer's share of a 404 for each Accept
// header value.
func BenchmarkRespondNotFound(b *testing.B) {
	rs, p := &Responder{}, New(http.StatusNotFound, "item 42 does not exist")
	for _, bench := range benchAccepts {
		w, r := testkit.NewBenchWriter(), httptest.NewRequest("GET", "/items/42", nil)
		if bench.accept != "" {
			r.Header.Set("Accept", bench.accept)
		}
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w.Reset()
				_ = rs.Respond(w, r, p)
			}
		})
	}
}
