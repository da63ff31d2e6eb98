package problem

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBlankHeadsEncodeAsMembers: an about:blank problem is written with
// the same bytes whether its head was encoded once for its status (see
// keepBlankHead) or is encoded member by member, whatever title the head
// was kept for, and a kept head is not replaced. The bytes are those of
// encoding/json for the same members.
func TestBlankHeadsEncodeAsMembers(t *testing.T) {
	kept := []string{"Not Found", `<"&>` + "\u2028", "", "Nicht gefunden"}
	titles := append([]string{"Other", "Not Fount", "Not Found "}, kept...)
	for _, status := range []int{-1, 0, 99, 100, 404, 451, 599, 600, 999, 1000} {
		first := kept[0]
		if status >= 100 && status <= 599 {
			if h := blankHeads[status-100].Load(); h != nil {
				first = h.title // kept by an earlier test
			}
		}
		for _, phrase := range kept {
			keepBlankHead(status, phrase) // kept only if none is
		}
		if status >= 100 && status <= 599 {
			require.Equal(t, first, blankHeads[status-100].Load().title, "the first head kept stays")
		}
		for _, typ := range []string{"", AboutBlank} {
			for _, title := range titles {
				t.Run(strconv.Itoa(status)+"/"+typ+"/"+title, func(t *testing.T) {
					p := &Problem{Type: typ, Title: title, Status: status, Detail: "d", Extensions: map[string]any{"n": 1}}
					got, err := p.AppendJSON(nil)
					require.NoError(t, err)
					want, err := json.Marshal(struct {
						Type   string `json:"type"`
						Title  string `json:"title,omitempty"`
						Status int    `json:"status,omitempty"`
						Detail string `json:"detail"`
						N      int    `json:"n"`
					}{AboutBlank, title, status, "d", 1})
					require.NoError(t, err)
					assert.Equal(t, string(want), string(got))
				})
			}
		}
	}
}
