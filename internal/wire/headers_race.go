//go:build race

package wire

import "unsafe"

// sameHeaders reports whether a and b, of the same length, hold the same
// string headers (data pointers and lengths), value by value, with reads
// the race detector sees (see headers.go).
func sameHeaders(a, b []string) bool {
	for i, v := range a {
		if len(v) != len(b[i]) || unsafe.StringData(v) != unsafe.StringData(b[i]) {
			return false
		}
	}
	return true
}
