package catalog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// WriteMarkdown writes the catalog as Markdown tables for an API's docs:
// the status table (code, phrase, description and retry guidance, in code
// order) and, when the catalog has types, after a blank line, the
// error-code table (status, code, title, description and what to do, in
// file order). Cell text is escaped, so no text can break a table or
// inject HTML.
func (c *Catalog) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("| Code | Phrase | Description | Retry |\n")
	bw.WriteString("| ---: | --- | --- | --- |\n")
	for _, e := range c.entries {
		fmt.Fprintf(bw, "| %d | %s | %s | %s |\n",
			e.Code, markdownCell(e.Phrase), markdownCell(e.Description), markdownCell(retryGuidance(e)))
	}
	if len(c.types) > 0 {
		bw.WriteString("\n| Status | Code | Title | Description | What to do |\n")
		bw.WriteString("| ---: | --- | --- | --- | --- |\n")
		for _, t := range c.types {
			guidance := retryGuidance(Entry{Code: t.Status, Retry: t.Retry, RetryAfter: t.RetryAfter})
			fmt.Fprintf(bw, "| %d | %s | %s | %s | %s |\n",
				t.Status, markdownCell(t.Code), markdownCell(t.Title), markdownCell(t.Description), markdownCell(guidance))
		}
	}
	return bw.Flush()
}

// retryGuidance says in words whether a client may repeat a request.
func retryGuidance(e Entry) string {
	switch {
	case e.Code < 400 && e.Retry == RetryNever, e.unused():
		return "—"
	case e.Retry == RetryAnytime:
		return "May be repeated"
	case e.Retry == RetryAfterDelay && e.RetryAfter > 0:
		return "Repeat after Retry-After (" + formatSeconds(e.RetryAfter) + " by default)"
	case e.Retry == RetryAfterDelay:
		return "Repeat after Retry-After"
	}
	return "Change the request before repeating it"
}

// formatSeconds writes a delay in whole seconds, rounded up, as in
// Retry-After: "30 s". A catalog's delays are whole seconds already.
func formatSeconds(d time.Duration) string {
	s := d / time.Second
	if d%time.Second != 0 {
		s++
	}
	return strconv.FormatInt(int64(s), 10) + " s"
}

// The members of the problem documents that WriteOpenAPI describes
// (RFC 9457 §4.2.1 and Appendix B).
const (
	aboutBlank   = "about:blank"
	xmlNamespace = "urn:ietf:rfc:7807"
)

var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, `|`, `\|`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`&`, `&amp;`, `<`, `&lt;`, `>`, `&gt;`,
)

func markdownCell(s string) string { return markdownEscaper.Replace(s) }

// WriteOpenAPI writes an OpenAPI 3.1 document in JSON whose components
// describe the catalog's problem responses: the schema Problem (RFC 9457
// Appendix A, with the XML name and namespace of Appendix B) and one
// response for each 4xx and 5xx entry, named after its phrase in PascalCase
// ("Not Found" is NotFound; a name that is taken gets the code appended).
// Each response documents the headers its status calls for: Allow for 405,
// WWW-Authenticate for 401, Proxy-Authenticate for 407, and Retry-After for
// after-delay statuses. Reference them from another document as
// problems.json#/components/responses/NotFound, or copy the components.
func (c *Catalog) WriteOpenAPI(w io.Writer) error {
	problemRef := object{{"$ref", "#/components/schemas/Problem"}}
	responses := object{}
	taken := map[string]bool{}
	for _, e := range c.entries {
		if e.Code < 400 || e.unused() {
			continue
		}
		name := pascalCase(e.Phrase)
		if name == "" || taken[name] {
			name += strconv.Itoa(e.Code)
		}
		for base, n := name, 2; taken[name]; n++ {
			name = base + "_" + strconv.Itoa(n)
		}
		taken[name] = true

		description := strconv.Itoa(e.Code) + " " + e.Phrase
		if e.Description != "" {
			description += ": " + e.Description
		}
		if g := retryGuidance(e); g != "" {
			description += " Retry: " + g + "."
		}
		resp := object{{"description", description}}
		if h := openAPIHeaders(e); len(h) > 0 {
			resp = append(resp, member{"headers", h})
		}
		example := object{{"type", aboutBlank}, {"title", e.Phrase}, {"status", e.Code}}
		resp = append(resp, member{"content", object{
			{"application/problem+json", object{{"schema", problemRef}, {"example", example}}},
			{"application/problem+xml", object{{"schema", problemRef}}},
		}})
		responses = append(responses, member{name, resp})
	}

	doc := object{
		{"openapi", "3.1.0"},
		{"info", object{{"title", "Problem responses"}, {"version", "1.0.0"}}},
		{"components", object{
			{"schemas", object{{"Problem", problemSchema()}}},
			{"responses", responses},
		}},
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = out.WriteTo(w)
	return err
}

func problemSchema() object {
	str := func(description string, format string) object {
		o := object{{"type", "string"}}
		if format != "" {
			o = append(o, member{"format", format})
		}
		return append(o, member{"description", description})
	}
	typ := str("A URI reference that identifies the problem type.", "uri-reference")
	typ = append(typ, member{"default", aboutBlank})
	return object{
		{"type", "object"},
		{"description", "Problem Details for HTTP APIs (RFC 9457). Members other than these are extensions."},
		{"properties", object{
			{"type", typ},
			{"title", str("A short, human-readable summary of the problem type.", "")},
			{"status", object{
				{"type", "integer"}, {"minimum", 100}, {"maximum", 599},
				{"description", "The HTTP status code generated by the origin server for this occurrence of the problem."},
			}},
			{"detail", str("A human-readable explanation specific to this occurrence of the problem.", "")},
			{"instance", str("A URI reference that identifies the specific occurrence of the problem.", "uri-reference")},
		}},
		{"xml", object{{"name", "problem"}, {"namespace", xmlNamespace}}},
	}
}

func openAPIHeaders(e Entry) object {
	header := func(description string, required bool) object {
		o := object{{"description", description}}
		if required {
			o = append(o, member{"required", true})
		}
		return append(o, member{"schema", object{{"type", "string"}}})
	}
	var h object
	switch e.Code {
	case 401:
		h = append(h, member{"WWW-Authenticate", header("The challenges the client can answer to authenticate.", true)})
	case 405:
		h = append(h, member{"Allow", header("The methods the resource supports.", true)})
	case 407:
		h = append(h, member{"Proxy-Authenticate", header("The challenges the client can answer to authenticate with the proxy.", true)})
	}
	if e.Retry == RetryAfterDelay {
		h = append(h, member{"Retry-After", header("Seconds to wait, or the date after which to repeat the request.", false)})
	}
	return h
}

// pascalCase turns a phrase into a component name: "Content Too Large" is
// ContentTooLarge, "TooManyRequests" stays. Characters OpenAPI does not allow
// in names are left out.
func pascalCase(phrase string) string {
	var b strings.Builder
	upper := true
	for _, r := range phrase {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// object is a JSON object whose members keep their order.
type object []member

type member struct {
	name  string
	value any
}

func (o object) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, m := range o {
		if i > 0 {
			b = append(b, ',')
		}
		name, err := json.Marshal(m.name)
		if err != nil {
			return nil, err
		}
		b = append(append(b, name...), ':')
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}
