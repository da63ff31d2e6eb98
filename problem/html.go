package problem

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
)

var htmlPage = template.Must(template.New("problem").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Status}} {{.Title}}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:42em;margin:0 auto;padding:3em 1em;color:#1a1a1a;background:#fff}
a{color:#0b57d0}.status{color:#666;margin:0}h1{font-size:1.7em;line-height:1.25;margin:.15em 0 .6em}.about{color:#555}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35em 1.5em;margin:1.5em 0}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
pre{font:.9em/1.45 ui-monospace,monospace;white-space:pre-wrap;background:#f5f5f5;border-radius:4px;padding:.4em .7em;margin:0}
</style>
</head>
<body>
<main>
<p class="status">{{.Status}}</p>
<h1>{{.Title}}</h1>
{{- with .Detail}}
<p>{{.}}</p>
{{- end}}
{{- with .About}}
<p class="about">{{.}}</p>
{{- end}}
<dl>
<dt>Retry</dt><dd>{{.Guidance}}</dd>
{{- if .TypeLink}}
<dt>Type</dt><dd><a href="{{.TypeLink}}">{{.Type}}</a></dd>
{{- else if .Type}}
<dt>Type</dt><dd>{{.Type}}</dd>
{{- end}}
{{- with .Instance}}
<dt>Instance</dt><dd>{{.}}</dd>
{{- end}}
{{- range .Extensions}}
<dt>{{.Name}}</dt><dd><pre>{{.JSON}}</pre></dd>
{{- end}}
</dl>
</main>
</body>
</html>
`))

type htmlView struct {
	Lang       string
	Status     int
	Title      string
	Detail     string
	About      string // the catalog's description of the type, or of the status
	Guidance   string // the catalog's retry guidance, in words
	Type       string
	TypeLink   string
	Instance   string
	Extensions []htmlExtension
}

type htmlExtension struct{ Name, JSON string }

// indentedJSON returns v as the JSON body shows it, indented, without the
// \u003c-style escapes of <, > and &: the page escapes them as HTML.
func indentedJSON(v any) (string, error) {
	data, err := appendValue(nil, v, 0)
	if err != nil {
		return "", err
	}
	plain, err := decodeAny(data)
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(plain); err != nil {
		return "", err
	}
	return strings.TrimSuffix(out.String(), "\n"), nil
}

// appendHTML appends the HTML page for p, in the language tag of cat (the
// page's lang attribute). Beside p's members, the page shows the catalog's
// description and retry guidance of p's type, when the catalog lists it
// (see [catalog.Catalog.TypeByURIIn]), else of p's status, in that
// language. The template escapes every value; the type becomes a link to
// its page when a browser can follow it: an http or https URL, or a
// relative reference. Extension values are shown as indented JSON; those
// that cannot be encoded, and those whose names JSON does not send, are left
// out, as in JSON, and dropped reports them. err is for a page that could
// not be rendered.
func appendHTML(b []byte, p Problem, cat *catalog.Catalog, tag language.Tag) (out []byte, dropped, err error) {
	v := htmlView{Lang: tag.String(), Status: p.Status, Title: p.Title, Detail: p.Detail, Instance: p.Instance}
	if !isBlank(p.Type) {
		v.Type = p.Type
		v.TypeLink = htmlTypeLink(p.Type)
	}
	if t, ok := cat.TypeByURIIn(tag, p.Type); ok {
		v.About, v.Guidance = t.Description, t.RetryGuidance()
	} else {
		e, _ := cat.LookupIn(tag, p.Status)
		policy, d := cat.Retry(p.Status)
		v.About, v.Guidance = e.Description, catalog.Entry{Code: p.Status, Retry: policy, RetryAfter: d}.RetryGuidance()
	}
	var buf [16]string
	var errs []error
	keys := p.memberNames(buf[:0])
	for i, k := range keys {
		err := memberError(keys, i)
		var text string
		if err == nil {
			text, err = indentedJSON(p.memberValue(k))
		}
		if err != nil {
			errs = append(errs, &DroppedError{Member: k, Err: err})
			continue
		}
		v.Extensions = append(v.Extensions, htmlExtension{Name: k, JSON: text})
	}
	page := bytes.NewBuffer(b)
	err = htmlPage.Execute(page, v)
	return page.Bytes(), errors.Join(errs...), err
}

// htmlTypeLink returns typ as the target of a link to the type's page, or
// "" when a browser cannot follow it: a link is made of an http or https
// URL and of a relative reference (resolved, as in JSON, against the
// request's URL), not of a tag:, urn: or javascript: URI.
func htmlTypeLink(typ string) string {
	u, err := url.Parse(typ)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "":
		return typ
	}
	return ""
}
