package problemvalidator_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/go-playground/validator/v10"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/problemkit/problemkit/problem/problemvalidator"
)

// TestMapKeysWithBrackets: validator writes a map key into the namespace
// as it is, so a key holding "]." or "][" reads as a key and more. Validate
// reads it as the types have it: the key that leaves a namespace the types
// fit (the first: "m[a][b][c]" of a map of maps reads as "a", "b][c"). A
// key no reading of which fits, or of which too many do not, is pointed at
// as its entry, withheld. No part of a key is ever in a pointer or a detail when keys
// are withheld.
func TestMapKeysWithBrackets(t *testing.T) {
	type Keyed struct {
		Places map[string]Address           `json:"m" validate:"dive"`
		Tags   map[string]string            `json:"tags" validate:"dive,min=3"`
		Nested map[string]map[string]string `json:"nested" validate:"dive,dive,min=3"`
		Loose  map[string]any               `json:"loose" validate:"dive"`
	}
	many := strings.Repeat("][", 40) // many readings, more than are tried
	for _, tc := range []struct {
		name         string
		in           Keyed
		exposeValues bool
		want         string
		wantDetail   string // in German, when the detail names the key
	}{
		{name: "]. withheld", in: Keyed{Places: map[string]Address{"x].y": {}}}, want: "#/m/*/city"},
		{name: "]. exposed", in: Keyed{Places: map[string]Address{"x].y": {}}}, exposeValues: true, want: "#/m/x%5D.y/city"},
		{name: "][ withheld", in: Keyed{Tags: map[string]string{"a][b": "x"}}, want: "#/tags/*", wantDetail: "tags[*] muss mindestens 3 Zeichen lang sein"},
		{name: "][ exposed", in: Keyed{Tags: map[string]string{"a][b": "x"}}, exposeValues: true, want: "#/tags/a%5D%5Bb", wantDetail: "tags[a][b] muss mindestens 3 Zeichen lang sein"},
		{name: "][ before a field", in: Keyed{Places: map[string]Address{"a][b": {}}}, exposeValues: true, want: "#/m/a%5D%5Bb/city"},
		{name: "many readings", in: Keyed{Nested: map[string]map[string]string{many: {many: "x"}}}, want: "#/nested/*", wantDetail: "nested[*] muss mindestens 3 Zeichen lang sein"},
		{name: "no reading fits", in: Keyed{Loose: map[string]any{"x].y": Address{}}}, want: "#/loose/*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vv, trans := germanValidate(t)
			v := problemvalidator.New(vv)
			v.ExposeValues = tc.exposeValues
			got := items(t, v.Validate(&tc.in))
			require.Len(t, got, 1)
			assert.Equal(t, tc.want, got[0].Pointer)

			v.Translator = trans
			got = items(t, v.Validate(&tc.in))
			require.Len(t, got, 1)
			if tc.wantDetail != "" {
				assert.Equal(t, tc.wantDetail, got[0].Detail)
			}
		})
	}
}

// TestLongMapKeysInDetails: validator keeps the length of a field's name
// in a byte, so FieldError.Field of a name longer than 255 bytes is only
// its tail, and a translation names the field by that tail, which is then
// part of a map key: it is withheld as the whole key is.
func TestLongMapKeysInDetails(t *testing.T) {
	type Keyed struct {
		Tags map[string]string `json:"tags" validate:"dive,min=3"`
	}
	vv, trans := germanValidate(t)
	v := problemvalidator.New(vv)
	v.Translator = trans
	for _, tc := range []struct {
		name string
		key  string
		want string
	}{
		{"short", strings.Repeat("k", 200), "tags[*] muss mindestens 3 Zeichen lang sein"},
		{"longer than 255 bytes", strings.Repeat("k", 300), "[*] muss mindestens 3 Zeichen lang sein"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := items(t, v.Validate(&Keyed{Tags: map[string]string{tc.key: "x"}}))
			require.Len(t, got, 1)
			assert.Equal(t, "#/tags/*", got[0].Pointer)
			assert.Equal(t, tc.want, got[0].Detail)
		})
	}
}

// weekday is a map key whose text (String) is not the one encoding/json
// writes (the number).
type weekday int

func (d weekday) String() string { return [...]string{"Sunday", "Monday"}[d] }

// label is a map key of kind string whose text (String) is not the one
// encoding/json writes (the string).
type label string

func (l label) String() string { return "label " + string(l) }

// span is a map key that encoding/json writes with MarshalText.
type span struct{ from, to int }

func (s span) MarshalText() ([]byte, error) { return fmt.Appendf(nil, "%d-%d", s.from, s.to), nil }

// code is an integer map key that encoding/json writes with MarshalText.
type code int

func (c code) MarshalText() ([]byte, error) { return fmt.Appendf(nil, "C%d", int(c)), nil }

// TestExposedMapKeysAsJSONWritesThem: validator writes a map key as fmt's
// %v does, which for a key with a String method, or one that
// encoding/json writes with MarshalText, is not the member name in the
// body: such a key is withheld even when values are exposed, in the
// pointer and in a translated detail, rather than named wrong. Keys that
// fmt and encoding/json write alike are exposed.
func TestExposedMapKeysAsJSONWritesThem(t *testing.T) {
	type Keyed struct {
		Days   map[weekday]string `json:"days" validate:"dive,min=3"`
		Labels map[label]string   `json:"labels" validate:"dive,min=3"`
		Spans  map[span]string    `json:"spans" validate:"dive,min=3"`
		Codes  map[code]string    `json:"codes" validate:"dive,min=3"`
		Ints   map[int8]string    `json:"ints" validate:"dive,min=3"`
		Uints  map[uint]Address   `json:"uints" validate:"dive"`
	}
	vv, trans := germanValidate(t)
	v := problemvalidator.New(vv)
	v.ExposeValues = true
	v.Translator = trans
	for _, tc := range []struct {
		name       string
		in         Keyed
		want       string
		wantDetail string
	}{
		{"Stringer of int kind", Keyed{Days: map[weekday]string{1: "x"}}, "#/days/*", "days[*] muss mindestens 3 Zeichen lang sein"},
		{"Stringer of string kind", Keyed{Labels: map[label]string{"k": "x"}}, "#/labels/*", "labels[*] muss mindestens 3 Zeichen lang sein"},
		{"TextMarshaler struct", Keyed{Spans: map[span]string{{1, 2}: "x"}}, "#/spans/*", "spans[*] muss mindestens 3 Zeichen lang sein"},
		{"TextMarshaler of int kind", Keyed{Codes: map[code]string{7: "x"}}, "#/codes/*", "codes[*] muss mindestens 3 Zeichen lang sein"},
		{"int", Keyed{Ints: map[int8]string{-4: "x"}}, "#/ints/-4", "ints[-4] muss mindestens 3 Zeichen lang sein"},
		{"uint", Keyed{Uints: map[uint]Address{9: {}}}, "#/uints/9/city", "city ist ein Pflichtfeld"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, err := json.Marshal(tc.in)
			require.NoError(t, err)
			got := items(t, v.Validate(&tc.in))
			require.Len(t, got, 1)
			assert.Equal(t, tc.want, got[0].Pointer, "in %s", body)
			assert.Equal(t, tc.wantDetail, got[0].Detail)
		})
	}
}

// Types whose fields share a JSON name, for TestFieldsEncodingJSONDrops.
type (
	shadowedBase struct {
		Name string `json:"name" validate:"required"`
	}
	taggedID struct {
		ID string `json:"ID" validate:"required"`
	}
	untaggedID struct {
		ID string `validate:"required"`
	}
	otherUntaggedID struct {
		ID string `validate:"required"`
	}
	// Shadowed has, for each name, the fields encoding/json chooses
	// between: the shallowest, and of those the one tagged, if only one is.
	Shadowed struct {
		shadowedBase        // its name is hidden by Name
		Name         string `json:"name" validate:"required"`
		taggedID            // its ID wins over untaggedID's
		untaggedID
		Dup      Dup  `json:"dup"`
		Promoted Base `json:"promoted"`
	}
	// Dup embeds two structs whose ID, untagged in both, is written by
	// neither. (Two tagged alike, written by neither too, are what go vet
	// reports.)
	Dup struct {
		untaggedID
		otherUntaggedID
		Base // its id is not shadowed
	}
)

// TestFieldsEncodingJSONDrops: encoding/json writes, of the fields that
// share a JSON name, only the shallowest, and of those the one tagged if
// only one is, and none where more are (nor where none is): a failure of
// a field it does not write has no pointer, as one tagged json:"-", rather
// than the pointer of the field it writes.
func TestFieldsEncodingJSONDrops(t *testing.T) {
	in := &Shadowed{Name: "x"}
	body, err := json.Marshal(in)
	require.NoError(t, err)
	require.JSONEq(t, `{"name":"x","ID":"","dup":{"id":""},"promoted":{"id":""}}`, string(body))
	v := problemvalidator.New(nil)
	err = v.Validate(in)
	fails, ok := errors.AsType[validator.ValidationErrors](err)
	require.True(t, ok)
	list := items(t, err)
	require.Len(t, list, len(fails))
	got := map[string]string{}
	for i, fe := range fails {
		got[fe.StructNamespace()] = list[i].Pointer
	}
	assert.Equal(t, map[string]string{
		"Shadowed.shadowedBase.Name":      "",
		"Shadowed.taggedID.ID":            "#/ID",
		"Shadowed.untaggedID.ID":          "",
		"Shadowed.Dup.untaggedID.ID":      "",
		"Shadowed.Dup.otherUntaggedID.ID": "",
		"Shadowed.Dup.Base.ID":            "#/dup/id",
		"Shadowed.Promoted.ID":            "#/promoted/id",
	}, got)
}
