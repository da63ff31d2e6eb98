//go:build !race

package wire

import "unsafe"

// sameHeaders reports whether a and b, of the same length, hold the same
// string headers (data pointers and lengths), compared as the bytes of the
// two arrays: one comparison, where a loop would make one per value.
// Built with the race detector, the loop of headers_race.go is used
// instead, whose reads the detector sees, so that it still reports code
// that writes into a value in place while a response is written.
func sameHeaders(a, b []string) bool {
	return headerBytes(a) == headerBytes(b)
}

// headerBytes returns the memory of vals' string headers as a string of
// bytes.
func headerBytes(vals []string) string {
	return unsafe.String((*byte)(unsafe.Pointer(unsafe.SliceData(vals))), uintptr(len(vals))*unsafe.Sizeof(""))
}
