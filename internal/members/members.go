// Package members knows the names of the standard members of a problem
// details object (RFC 9457 §3.1), for the packages that write or name
// members.
package members

import "strings"

// Standard reports whether a member named name would be read as a standard
// member: its name equals one without regard to case, as encoding/json
// matches object keys to struct fields ("Status" and "ſtatus", with U+017F,
// both fill a field tagged `json:"status"`, and the last key wins).
func Standard(name string) bool {
	// The names are 4 to 8 bytes long. Of the runes beyond ASCII only
	// U+017F folds to one of their letters, and it is one byte longer than
	// the s it stands for: "instance" can grow to 9 bytes.
	if len(name) < 4 || len(name) > 9 {
		return false
	}
	// They begin with t, s, d or i, and only these letters, in either
	// case, and ſ (bytes C5 BF) fold to those: a name that begins with
	// another byte is none of them, which most names tell at once.
	switch name[0] {
	case 't', 'T', 's', 'S', 'd', 'D', 'i', 'I', 0xC5:
	default:
		return false
	}
	for _, m := range [...]string{"type", "title", "status", "detail", "instance"} {
		if strings.EqualFold(name, m) {
			return true
		}
	}
	return false
}

// Has reports whether a problem has an extension member named name: an
// entry of its Extensions, or the code it carries from its type, which is
// not among them. Package problem sets it, to a
// func(problem.Problem, string) bool (an any, since this package cannot
// name the type); the middleware asks it before it adds a member, so as to
// leave a problem's own member of that name alone.
var Has any
