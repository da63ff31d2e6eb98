package problem

import "testing"

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
