package problemvalidator

import (
	"reflect"
	"regexp"
	"strings"

	"github.com/go-playground/validator/v10"
)

// message returns an English detail for a failed check: what the value must
// be, without naming the field (the pointer does that). Messages depend only
// on the rule they are phrased as (see phrasedTag), its parameter and the
// kind of value, which the validated types fix, so they are kept once made.
func message(fe validator.FieldError) string {
	key := messageKey{phrasedTag(fe.Tag(), fe.ActualTag()), fe.Param(), sizeKind(fe)}
	if m, ok := messages.get(key); ok {
		return m
	}
	m := makeMessage(key.tag, key.param, key.kind)
	messages.add(key, m)
	return m
}

// phrasedTag returns the rule a failure is phrased as: its tag, or for an
// alias (RegisterAlias) of rules, "pw" for "min=8,max=64", the rule inside
// it that failed, actual, whose parameter the failure has. An alias of
// alternatives ("numeric|alpha") has no one rule inside; it is phrased as
// itself.
func phrasedTag(tag, actual string) string {
	if actual == tag || strings.IndexByte(actual, '|') >= 0 {
		return tag
	}
	return actual
}

type messageKey struct {
	tag, param string
	kind       reflect.Kind
}

var messages = cache[messageKey, string]{max: 1024}

func makeMessage(tag, param string, kind reflect.Kind) string {
	if m, ok := sizeMessage(tag, param, kind); ok {
		return m
	}
	if text, ok := fixedMessages[tag]; ok {
		return text
	}
	switch tag {
	case "oneof":
		return "must be " + orList(oneOfValues(param))
	case "contains", "containsany":
		return "must contain " + quote(param)
	case "excludes", "excludesall":
		return "must not contain " + quote(param)
	case "startswith":
		return "must start with " + quote(param)
	case "endswith":
		return "must end with " + quote(param)
	case "startsnotwith":
		return "must not start with " + quote(param)
	case "endsnotwith":
		return "must not end with " + quote(param)
	case "datetime":
		return "must be a date and time in the layout " + param
	case "eqfield", "eqcsfield":
		return "must equal " + param
	case "nefield", "necsfield":
		return "must not equal " + param
	case "gtfield", "gtcsfield":
		return "must be greater than " + param
	case "gtefield", "gtecsfield":
		return "must be greater than or equal to " + param
	case "ltfield", "ltcsfield":
		return "must be less than " + param
	case "ltefield", "ltecsfield":
		return "must be less than or equal to " + param
	case "required_if", "required_unless", "required_with", "required_with_all", "required_without", "required_without_all":
		return "is required"
	case "excluded_if", "excluded_unless", "excluded_with", "excluded_with_all", "excluded_without", "excluded_without_all":
		return "must be left out"
	}
	if param != "" {
		return "must pass the " + tag + "=" + param + " check"
	}
	return "must pass the " + tag + " check"
}

var fixedMessages = map[string]string{
	"required":           "is required",
	"required_without":   "is required",
	"isdefault":          "must be left out",
	"email":              "must be an email address",
	"url":                "must be a URL",
	"http_url":           "must be an HTTP or HTTPS URL",
	"https_url":          "must be an HTTPS URL",
	"uri":                "must be a URI",
	"urn_rfc2141":        "must be a URN",
	"uuid":               "must be a UUID",
	"uuid3":              "must be a version 3 UUID",
	"uuid4":              "must be a version 4 UUID",
	"uuid5":              "must be a version 5 UUID",
	"uuid_rfc4122":       "must be a UUID",
	"ulid":               "must be a ULID",
	"alpha":              "must contain only letters",
	"alphanum":           "must contain only letters and digits",
	"alphaunicode":       "must contain only letters",
	"alphanumunicode":    "must contain only letters and digits",
	"ascii":              "must contain only ASCII characters",
	"printascii":         "must contain only printable ASCII characters",
	"numeric":            "must be a number",
	"number":             "must be a number",
	"boolean":            "must be true or false",
	"lowercase":          "must be in lowercase",
	"uppercase":          "must be in uppercase",
	"hexadecimal":        "must be a hexadecimal number",
	"hexcolor":           "must be a hex color, such as #ff0000",
	"rgb":                "must be an rgb() color",
	"rgba":               "must be an rgba() color",
	"iscolor":            "must be a color",
	"e164":               "must be a phone number in E.164 format, such as +14155552671",
	"ip":                 "must be an IP address",
	"ipv4":               "must be an IPv4 address",
	"ipv6":               "must be an IPv6 address",
	"cidr":               "must be a CIDR network",
	"cidrv4":             "must be an IPv4 CIDR network",
	"cidrv6":             "must be an IPv6 CIDR network",
	"mac":                "must be a MAC address",
	"hostname":           "must be a host name",
	"hostname_rfc1123":   "must be a host name",
	"fqdn":               "must be a fully qualified domain name",
	"json":               "must be valid JSON",
	"jwt":                "must be a JSON Web Token",
	"base64":             "must be Base64",
	"base64url":          "must be URL-safe Base64",
	"semver":             "must be a semantic version, such as 1.2.3",
	"latitude":           "must be a latitude",
	"longitude":          "must be a longitude",
	"iso3166_1_alpha2":   "must be a two-letter country code",
	"iso3166_1_alpha3":   "must be a three-letter country code",
	"iso4217":            "must be a currency code",
	"bcp47_language_tag": "must be a language tag, such as en-US",
	"timezone":           "must be a time zone, such as Europe/Paris",
	"unique":             "must not hold duplicates",
	"dive":               "must be valid",
}

// sizeKind is what a size rule measures: a string's characters, a
// collection's items, a number's value, or a time. The kind of value tells
// them apart: of structs, the validator's size rules take only those that
// convert to time.Time (and panic on others).
func sizeKind(fe validator.FieldError) reflect.Kind { return fe.Kind() }

// sizeMessage phrases min, max, len, eq, ne, gt, gte, lt and lte for the
// kind of value they apply to.
func sizeMessage(tag, param string, kind reflect.Kind) (string, bool) {
	switch kind {
	case reflect.String:
		unit := " characters"
		if param == "1" {
			unit = " character"
		}
		switch tag {
		case "min", "gte":
			return "must be at least " + param + unit + " long", true
		case "max", "lte":
			return "must be at most " + param + unit + " long", true
		case "len":
			return "must be exactly " + param + unit + " long", true
		case "gt":
			return "must be longer than " + param + unit, true
		case "lt":
			return "must be shorter than " + param + unit, true
		case "eq":
			return "must be " + quote(param), true
		case "ne":
			return "must not be " + quote(param), true
		}
	case reflect.Slice, reflect.Array, reflect.Map:
		unit := " items"
		if param == "1" {
			unit = " item"
		}
		switch tag {
		case "min", "gte":
			return "must hold at least " + param + unit, true
		case "max", "lte":
			return "must hold at most " + param + unit, true
		case "len", "eq":
			return "must hold exactly " + param + unit, true
		case "gt":
			return "must hold more than " + param + unit, true
		case "lt":
			return "must hold fewer than " + param + unit, true
		case "ne":
			return "must not hold exactly " + param + unit, true
		}
	case reflect.Struct: // time.Time; without a param, against now
		when := param
		if when == "" {
			when = "now"
		}
		switch tag {
		case "gt":
			return "must be after " + when, true
		case "gte":
			return "must be " + when + " or later", true
		case "lt":
			return "must be before " + when, true
		case "lte":
			return "must be " + when + " or earlier", true
		}
	default:
		switch tag {
		case "min", "gte":
			return "must be " + param + " or greater", true
		case "max", "lte":
			return "must be " + param + " or less", true
		case "len", "eq":
			return "must be " + param, true
		case "ne":
			return "must not be " + param, true
		case "gt":
			return "must be greater than " + param, true
		case "lt":
			return "must be less than " + param, true
		}
	}
	return "", false
}

// oneOfParams splits a oneof param as validator does: words, or 'quoted
// words with spaces'.
var oneOfParams = regexp.MustCompile(`'[^']*'|\S+`)

func oneOfValues(param string) []string {
	values := oneOfParams.FindAllString(param, -1)
	for i, v := range values {
		values[i] = strings.Trim(v, "'")
	}
	return values
}

// orList writes values as RFC 9457's example does: 'green', 'red' or 'blue'.
func orList(values []string) string {
	var b strings.Builder
	for i, v := range values {
		switch {
		case i == 0:
		case i == len(values)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(quote(v))
	}
	return b.String()
}

func quote(s string) string { return "'" + s + "'" }
