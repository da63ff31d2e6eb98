package middleware

import "net/http"

// CorrelationID returns the id the default Options.Correlation finds in
// the headers of r: the trace id of a valid W3C traceparent header (Trace
// Context, §3.2), else the X-Request-Id header if it is 1 to 128 printable
// ASCII characters, else "". When it is "", the default goes on to the
// X-Request-Id header of the response, which CorrelationID cannot see.
func CorrelationID(r *http.Request) string {
	if id, ok := traceID(first(r.Header["Traceparent"])); ok {
		return id
	}
	return requestID(first(r.Header["X-Request-Id"]))
}

// requestID returns id if it can be an X-Request-Id: 1 to 128 printable
// ASCII characters; else "".
func requestID(id string) string {
	if len(id) > 0 && len(id) <= 128 && printableASCII(id) {
		return id
	}
	return ""
}

// first returns the first value of a header, found by its canonical key.
func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

// traceID returns the trace-id of a traceparent value:
// version "-" trace-id "-" parent-id "-" flags, with lowercase hex fields of
// 2, 32, 16 and 2 digits. Version ff and all-zero ids are invalid; versions
// above 00 may append fields after the flags.
func traceID(v string) (string, bool) {
	if len(v) < 55 || v[2] != '-' || v[35] != '-' || v[52] != '-' {
		return "", false
	}
	version, trace, parent, flags := v[0:2], v[3:35], v[36:52], v[53:55]
	if !lowerHex(version) || version == "ff" || !lowerHex(trace) || !lowerHex(parent) || !lowerHex(flags) {
		return "", false
	}
	if version == "00" && len(v) != 55 || len(v) > 55 && v[55] != '-' {
		return "", false
	}
	if allZero(trace) || allZero(parent) {
		return "", false
	}
	return trace, true
}

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func allZero(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
