package catalog

import "strings"

// standardMember reports whether a member named name would be read as one
// of the standard members of a problem (RFC 9457 §3.1): its name equals one
// without regard to case, as encoding/json matches object keys ("Status" and
// "ſtatus", with U+017F, both fill a field tagged `json:"status"`). It is
// internal/members.Standard, kept here so that catalog imports nothing of
// this module; a test keeps the two alike.
func standardMember(name string) bool {
	// The names are 4 to 8 bytes long; U+017F, the one rune beyond ASCII
	// that folds to one of their letters, is a byte longer than its s.
	if len(name) < 4 || len(name) > 9 {
		return false
	}
	for _, m := range [...]string{"type", "title", "status", "detail", "instance"} {
		if strings.EqualFold(name, m) {
			return true
		}
	}
	return false
}
