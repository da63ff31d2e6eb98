package catalog

import (
	"testing"

	"github.com/problemkit/problemkit/internal/members"
)

// standardMember must say what internal/members says, which the encoders
// and the middleware use.
func TestStandardMemberAsMembers(t *testing.T) {
	names := []string{"", "type", "TYPE", "Title", "status", "ſtatus", "STATUſ", "detail", "instance", "inſtance",
		"code", "types", "stat", "statuses", "instances", "correlationId", "errors", "Status ", "ſ", "tYpE"}
	for _, name := range names {
		if got, want := standardMember(name), members.Standard(name); got != want {
			t.Errorf("standardMember(%q) = %v, want %v as members.Standard", name, got, want)
		}
	}
}
