package problem

import (
	"testing"
	"unsafe"
)

// TestSafeLen checks the eight-at-a-time scan against the byte table for
// every byte value at every position of a 17-byte string.
func TestSafeLen(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 17; pos++ {
			b := []byte("abcdefghijklmnopq")
			b[pos] = byte(c)
			want := pos
			if jsonSafe[c] {
				want = len(b)
			}
			if got := safeLen(string(b)); got != want {
				t.Fatalf("safeLen with byte %#x at %d = %d, want %d", c, pos, got, want)
			}
		}
	}
}

// A problem fits the 128-byte size class: one more word moves every
// problem.New into the next class, which costs the 404 path measurably.
func TestProblemSize(t *testing.T) {
	if size := unsafe.Sizeof(Problem{}); size > 128 {
		t.Errorf("unsafe.Sizeof(Problem{}) = %d, want at most 128", size)
	}
}
