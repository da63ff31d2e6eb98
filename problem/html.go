package problem

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"strings"
)

var htmlPage = template.Must(template.New("problem").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Status}} {{.Title}}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:42em;margin:3em auto;padding:0 1em;color:#1a1a1a}
.status{color:#666;margin:0}h1{font-size:1.6em;margin:.2em 0 .8em}
dt{font-weight:600;margin-top:.6em}dd{margin:0}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5em;margin:0}
</style>
</head>
<body>
<main>
<p class="status">{{.Status}}</p>
<h1>{{.Title}}</h1>
{{- with .Detail}}
<p>{{.}}</p>
{{- end}}
<dl>
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

// appendHTML appends the HTML page for p, in the language lang (a BCP 47
// tag, the page's lang attribute). The template escapes every value;
// the type becomes a link only when it is an http or https URL. Extension
// values are shown as indented JSON; those that cannot be encoded, and those
// whose names JSON does not send, are left out, as in JSON, and dropped
// reports them. err is for a page that could not be rendered.
func appendHTML(b []byte, p Problem, lang string) (out []byte, dropped, err error) {
	v := htmlView{Lang: lang, Status: p.Status, Title: p.Title, Detail: p.Detail, Instance: p.Instance}
	if !isBlank(p.Type) {
		v.Type = p.Type
		if strings.HasPrefix(p.Type, "https://") || strings.HasPrefix(p.Type, "http://") {
			v.TypeLink = p.Type
		}
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
