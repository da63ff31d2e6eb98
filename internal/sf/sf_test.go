package sf

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseList: the examples of RFC 9651 that are Lists of Items (or
// Items, a list of one), and the RateLimit and RateLimit-Policy examples of
// draft-ietf-httpapi-ratelimit-headers-11, parse to the values they name,
// and serialise back to canonical form.
func TestParseList(t *testing.T) {
	pk := func(s string) []byte { return []byte(s) }
	tests := []struct {
		name  string
		in    string
		want  []Item
		canon string // the serialisation; "" means in itself
	}{
		{name: "RFC 9651 §3.1 tokens", in: `sugar, tea, rum`,
			want: []Item{{Value: Token("sugar")}, {Value: Token("tea")}, {Value: Token("rum")}}},
		{name: "RFC 9651 §3.1 empty", in: ``, want: nil},
		{name: "RFC 9651 §3.1.2 parameters", in: `abc;a=1;b=2; cde_456`,
			want:  []Item{{Value: Token("abc"), Params: []Param{{"a", int64(1)}, {"b", int64(2)}, {"cde_456", true}}}},
			canon: `abc;a=1;b=2;cde_456`},
		{name: "RFC 9651 §3.3 item with a parameter", in: `5; foo=bar`,
			want: []Item{{Value: int64(5), Params: []Param{{"foo", Token("bar")}}}}, canon: `5;foo=bar`},
		{name: "RFC 9651 §3.3.1 integer", in: `42`, want: []Item{{Value: int64(42)}}},
		{name: "RFC 9651 §3.3.2 decimal", in: `4.5`, want: []Item{{Value: Decimal(4500)}}},
		{name: "RFC 9651 §3.3.3 string", in: `"hello world"`, want: []Item{{Value: "hello world"}}},
		{name: "RFC 9651 §3.3.4 token", in: `foo123/456`, want: []Item{{Value: Token("foo123/456")}}},
		{name: "RFC 9651 §3.3.5 byte sequence", in: `:cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:`,
			want: []Item{{Value: pk("pretend this is binary content.")}}},
		{name: "RFC 9651 §3.3.6 boolean", in: `?1`, want: []Item{{Value: true}}},
		{name: "RFC 9651 §3.3.7 date", in: `@1659578233`, want: []Item{{Value: Date(1659578233)}}},
		{name: "RFC 9651 §3.3.8 display string", in: `%"This is intended for display to %c3%bcsers."`,
			want: []Item{{Value: DisplayString("This is intended for display to üsers.")}}},
		{name: "draft §3 RateLimit-Policy", in: `"burst";q=100;w=60,"daily";q=1000;w=86400`,
			want: []Item{
				{Value: "burst", Params: []Param{{"q", int64(100)}, {"w", int64(60)}}},
				{Value: "daily", Params: []Param{{"q", int64(1000)}, {"w", int64(86400)}}},
			},
			canon: `"burst";q=100;w=60, "daily";q=1000;w=86400`},
		{name: "draft §3.2 partition key and unit", in: `"peruser";q=65535;qu="content-bytes";w=10;pk=:sdfjLJUOUH==:`,
			want: []Item{{Value: "peruser", Params: []Param{
				{"q", int64(65535)}, {"qu", "content-bytes"}, {"w", int64(10)}, {"pk", []byte{0xb1, 0xd7, 0xe3, 0x2c, 0x95, 0x0e, 0x50}},
			}}},
			canon: `"peruser";q=65535;qu="content-bytes";w=10;pk=:sdfjLJUOUA==:`},
		{name: "draft §4 RateLimit", in: `"default";r=50;t=30`,
			want: []Item{{Value: "default", Params: []Param{{"r", int64(50)}, {"t", int64(30)}}}}},
		{name: "draft §4.2 partition key", in: `"default";r=300000000;t=60;pk=:QXBwLTk5OQ==:`,
			want: []Item{{Value: "default", Params: []Param{{"r", int64(300000000)}, {"t", int64(60)}, {"pk", pk("App-999")}}}}},
		{name: "a later parameter keeps the first place", in: `"d";t=90;r=0;t=3`,
			want:  []Item{{Value: "d", Params: []Param{{"t", int64(3)}, {"r", int64(0)}}}},
			canon: `"d";t=3;r=0`},
		{name: "escapes", in: `"a \"b\" \\c"`, want: []Item{{Value: `a "b" \c`}}},
		{name: "white space", in: "  a; x=1 ,\tb", want: []Item{{Value: Token("a"), Params: []Param{{"x", int64(1)}}}, {Value: Token("b")}}, canon: `a;x=1, b`},
		{name: "negative numbers", in: `-999999999999999, -0.5`, want: []Item{{Value: int64(-999999999999999)}, {Value: Decimal(-500)}}},
		{name: "a decimal's trailing zeros", in: `1.250`, want: []Item{{Value: Decimal(1250)}}, canon: `1.25`},
		{name: "an empty byte sequence", in: `::`, want: []Item{{Value: []byte{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseList(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			out, err := AppendList(nil, got)
			require.NoError(t, err)
			canon := tt.canon
			if canon == "" {
				canon = tt.in
			}
			assert.Equal(t, canon, string(out))
		})
	}
}

// TestParseListRefuses: input that is not a List of Items is an error
// (RFC 9651 §4.2: a field that fails to parse is ignored whole).
func TestParseListRefuses(t *testing.T) {
	for _, in := range []string{
		`abc, (ghi;jk=4 l);q="9";r=w`, // RFC 9651 §3.1.2: an inner list
		`"d";r=0;t=3,`,
		`"d",,"e"`,
		`"d`,
		`"d\x"`,
		`"d";R=0`,
		`"d" x`,
		`?2`,
		`:abc`,
		`:ab=c:`,
		`:a*b:`,
		`9999999999999999`,
		`1234567890123.5`,
		`1.2345`,
		`1.`,
		`-`,
		`@1.5`,
		`%"%C3%BC"`,
		`%"%c3"`,
		`%"%c"`,
		`%x`,
		"\"\x7f\"",
		`a ;x=1`,
		`a;`,
		`a;=1`,
		"\ta",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := ParseList(in)
			assert.Error(t, err)
		})
	}
}

// TestAppendRefuses: what has no serialisation is an error, and b is
// left as it was.
func TestAppendRefuses(t *testing.T) {
	for _, tt := range []struct {
		name string
		item Item
	}{
		{"a string with LF", Item{Value: "a\nb"}},
		{"a non-ASCII string", Item{Value: "dé"}},
		{"an integer too large", Item{Value: int64(MaxInteger + 1)}},
		{"a decimal too large", Item{Value: Decimal(maxDecimal + 1)}},
		{"a date too large", Item{Value: Date(-MaxInteger - 1)}},
		{"an empty token", Item{Value: Token("")}},
		{"a token with a space", Item{Value: Token("a b")}},
		{"a display string that is not UTF-8", Item{Value: DisplayString("\xff")}},
		{"an int", Item{Value: 1}},
		{"an upper-case key", Item{Value: int64(1), Params: []Param{{"Q", int64(1)}}}},
		{"a bad parameter value", Item{Value: int64(1), Params: []Param{{"q", 1.5}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := AppendList([]byte("x"), []Item{{Value: int64(1)}, tt.item})
			assert.Error(t, err)
			assert.Equal(t, "x", string(b))
			b, err = AppendItem([]byte("x"), tt.item)
			assert.Error(t, err)
			assert.Equal(t, "x", string(b))
		})
	}
	_, err := AppendString(nil, "a\r\n")
	assert.ErrorIs(t, err, ErrString)
}

// FuzzParseList: no input makes the parser panic; what it parses
// serialises, and the serialisation parses to the same items
// (parse -> format -> parse).
func FuzzParseList(f *testing.F) {
	for _, s := range []string{
		`"default";r=0;t=30`, `a;r=0;t=1, b;r=0;t=2`, `"d";pk=:cHsdsRa894==:;r=0;t=3`, `("x")`, `"\"";r=0;t=1`,
		`sugar, tea, rum`, `5; foo=bar`, `4.5`, `?1`, `@1659578233`, `%"%c3%bcsers"`, `-0.001`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, err := ParseList(s)
		if err != nil {
			return
		}
		out, err := AppendList(nil, items)
		if err != nil {
			t.Fatalf("AppendList(ParseList(%q)) failed: %v", s, err)
		}
		again, err := ParseList(string(out))
		if err != nil {
			t.Fatalf("ParseList(%q), the serialisation of %q, failed: %v", out, s, err)
		}
		assert.Equal(t, items, again, "%q -> %q", s, out)
	})
}

// FuzzFormatParse: an item built of any values that serialise parses back
// equal (format -> parse -> equal).
func FuzzFormatParse(f *testing.F) {
	f.Add("default", int64(50), int64(30), []byte("App-999"), "requests", "tok/1", int64(1500), "üsers", true)
	f.Add(`a "b" \c`, int64(-1), int64(MaxInteger), []byte{}, "", "*", int64(-999), "%\"", false)
	f.Fuzz(func(t *testing.T, name string, r, tt int64, pk []byte, unit, tok string, dec int64, display string, flag bool) {
		candidates := []Item{
			{Value: name, Params: []Param{{"r", r}, {"t", tt}, {"pk", pk}, {"qu", unit}, {"f", flag}}},
			{Value: Token(tok), Params: []Param{{"d", Decimal(dec)}, {"x", Date(r)}}},
			{Value: DisplayString(display)},
			{Value: Decimal(dec)},
			{Value: pk},
			{Value: flag},
		}
		var items []Item
		for _, it := range candidates {
			if _, err := AppendItem(nil, it); err == nil {
				items = append(items, it)
			}
		}
		out, err := AppendList(nil, items)
		if err != nil {
			t.Fatalf("AppendList of items that each serialise failed: %v", err)
		}
		got, err := ParseList(string(out))
		if err != nil {
			t.Fatalf("ParseList(%q) failed: %v", out, err)
		}
		for i := range got { // an empty []byte and a nil one are the same Byte Sequence
			normalise(&got[i])
			normalise(&items[i])
		}
		assert.Equal(t, items, got, "%q", out)
	})
}

func normalise(it *Item) {
	if b, ok := it.Value.([]byte); ok && len(b) == 0 {
		it.Value = []byte{}
	}
	for i := range it.Params {
		if b, ok := it.Params[i].Value.([]byte); ok && len(b) == 0 {
			it.Params[i].Value = []byte{}
		}
	}
	if len(it.Params) == 0 {
		it.Params = nil
	}
}
