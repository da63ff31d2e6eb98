// Package field checks HTTP field values, for the packages that send them.
package field

// ValidValue reports whether v may be sent as an HTTP field value (RFC 9110
// §5.5): it holds no control character other than horizontal tab. CR and LF
// could split the header section, and clients refuse a response with the
// others.
func ValidValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
