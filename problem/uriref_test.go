package problem

import "testing"

// BenchmarkCheckURIRef is the check of a type or an instance as Respond
// makes it: a path and an absolute URI, the shapes judged without a parse,
// and a percent-encoded one, which needs the parse.
func BenchmarkCheckURIRef(b *testing.B) {
	for _, bench := range []struct{ name, s string }{
		{"path", "/items/42"},
		{"https", "https://docs.example.com/errors/APIGW.0301"},
		{"percent-encoded", "https://example.com/probs/%C3%BC"},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := checkURIRef("instance", bench.s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
