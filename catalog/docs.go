package catalog

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// MarkdownOptions are options for [Catalog.Markdown]. A zero
// MarkdownOptions consists entirely of default values.
type MarkdownOptions struct {
	// Language is the language of the texts and the fixed words.
	// Default: the catalog's base language, the first of
	// [Catalog.Languages].
	Language language.Tag

	// AllStatuses lists every status of the catalog in the status table,
	// those [Load] adds from the default table included. Default: false:
	// only the statuses of [Catalog.Listed], those the catalog file
	// lists, as [OpenAPIOptions.AllStatuses] has it.
	AllStatuses bool
}

// WriteMarkdown writes the document [Catalog.Markdown] gives with the
// default options: in the catalog's base language, the statuses the
// catalog file lists.
func (c *Catalog) WriteMarkdown(w io.Writer) error {
	return c.writeMarkdown(w, MarkdownOptions{})
}

// WriteMarkdownIn writes the document [Catalog.Markdown] gives in the
// language tag, with the other options at their defaults.
func (c *Catalog) WriteMarkdownIn(w io.Writer, tag language.Tag) error {
	return c.writeMarkdown(w, MarkdownOptions{Language: tag})
}

// Markdown returns the catalog as Markdown tables for an API's docs, as
// vendors publish them; nil opts means the default options. It gives the
// status table (code, phrase, description and retry guidance, in code
// order) of the statuses [Catalog.Listed] gives (every status with
// AllStatuses) and, when the catalog has types, after a blank line, the
// error-code table (status, code, title, description and what to do, in
// file order). The retry guidance of a status or a type with quota
// policies ([Entry.QuotaPolicies], [Type.QuotaPolicies]) names them after
// it: "Repeat after Retry-After. Quota: 100 requests per 60 s (policy
// "default")", or alone where the guidance would be "—".
//
// The texts are the catalog's in opts.Language, as [Catalog.LookupIn] and
// [Catalog.TypeIn] give them. The column headings, the retry guidance
// ("Change the request before repeating it", "May be repeated", "Repeat
// after Retry-After (30 s by default)") and the words of the quota
// policies (a unit of the catalog's own is named as it is, "3 tokens";
// the policies' names as they are sent) are written in English, Chinese
// (zh) and German (de), each language falling back as [MatchLanguage] has
// it (zh-CN and zh-Hant to zh, de-CH and gsw to de), and in English
// otherwise. A tag that is not one of the catalog's languages gets the
// document of the one it falls back to, else of the base language.
//
// Cell text is escaped, so that no text can break a table or inject HTML:
// "|" and the characters Markdown reads as markup are backslash-escaped,
// "&", "<" and ">" written as entities, and a line break as <br>.
func (c *Catalog) Markdown(opts *MarkdownOptions) ([]byte, error) {
	var o MarkdownOptions
	if opts != nil {
		o = *opts
	}
	var buf bytes.Buffer
	if err := c.writeMarkdown(&buf, o); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeMarkdown writes the document Markdown gives for o to w.
func (c *Catalog) writeMarkdown(w io.Writer, o MarkdownOptions) error {
	tag := c.docLanguage(o.Language)
	words := docWordsIn(tag)
	bw := bufio.NewWriter(w)
	bw.WriteString(words.statusHead)
	bw.WriteString("| ---: | --- | --- | --- |\n")
	for _, e := range c.entries {
		if !o.AllStatuses && !c.lists(e.Code) {
			continue
		}
		e, _ = c.LookupIn(tag, e.Code)
		fmt.Fprintf(bw, "| %d | %s | %s | %s |\n",
			e.Code, markdownCell(e.Phrase), markdownCell(e.Description), markdownCell(words.withQuota(words.guidance(e), e.QuotaPolicies)))
	}
	if len(c.types) > 0 {
		bw.WriteString("\n")
		bw.WriteString(words.typeHead)
		bw.WriteString("| ---: | --- | --- | --- | --- |\n")
		for i := range c.types {
			t := c.typeIn(tag, i)
			guidance := words.withQuota(words.typeGuidance(t), t.QuotaPolicies)
			fmt.Fprintf(bw, "| %d | %s | %s | %s | %s |\n",
				t.Status, markdownCell(t.Code), markdownCell(t.Title), markdownCell(t.Description), markdownCell(guidance))
		}
	}
	return bw.Flush()
}

// docLanguage returns the catalog's language tag falls back to (see
// [MatchLanguage]), else the base language.
func (c *Catalog) docLanguage(tag language.Tag) language.Tag {
	langs := c.Languages()
	if i, ok := MatchLanguage(c.matcher, tag); ok {
		return langs[i]
	}
	return langs[0]
}

// Labels are the labels of a problem's members and of its retry guidance
// on a page for people, in one language ([LabelsIn]): those of the type
// pages ([Catalog.Pages]) and of package problem's HTML error page.
type Labels struct {
	Type     string // "Type": the problem type's URI
	Code     string // "Code": the error code
	Instance string // "Instance": the occurrence's URI reference
	Retry    string // "Retry": the retry guidance, as [Entry.RetryGuidanceIn] writes it
}

// LabelsIn returns the [Labels] in the language tag, written in English,
// Chinese (zh) and German (de) as the docs' fixed words are (see
// [Catalog.Markdown]): in the one of these tag falls back to (see
// [MatchLanguage]: zh-CN and zh-Hant to zh, de-CH and gsw to de), else in
// English.
func LabelsIn(tag language.Tag) Labels { return docWordsIn(tag).labels }

// docWords are the fixed words of the docs in one language: the header
// rows of the Markdown's two tables, the retry guidance, of which after
// holds a %s for the delay, a number of seconds followed by seconds, the
// words of the quota policies, the labels and the words of the pages.
type docWords struct {
	statusHead, typeHead                    string
	never, anytime, afterDelay, after, none string
	seconds                                 string
	quota                                   quotaWords
	labels                                  Labels
	page                                    pagesWords
}

// quotaWords are the words of the Markdown's note on quota policies (see
// docWords.withQuota): stop ends the retry guidance before the note; note
// holds a %s for the policies, joined by sep; policy a %s for a policy's
// amount and a %q for its name; window a %[1]s for the amount and a %[2]s
// for the window; each unit of the draft's registry a %d for the quota,
// in the singular (quota 1) and in the plural.
type quotaWords struct {
	stop, note, sep, policy, window            string
	requests, contentBytes, concurrentRequests [2]string
}

// pagesWords are the fixed words of the HTML pages Catalog.Pages serves
// that are not [Labels]. Its fields are the template's.
type pagesWords struct {
	AllTypes, Language              string // the link to the index, the label of the language links
	Members, Member, Value, Meaning string // the table of a type's members, and its heads
	Example                         string
	Types, Intro                    string // the index's title and what it is
	ErrorCodes, StatusCodes         string // the index's two tables
	Status, Title                   string // heads of the index's tables (Code and Retry are Labels)
	TypeMeaning, BlankMeaning       string // of "type", of about:blank
	TitleMeaning, StatusMeaning     string
	DetailMeaning, InstanceMeaning  string
	CodeMeaning                     string
	NotFound, MethodNotAllowed      string // the texts of the error pages: 404, 405,
	PreconditionFailed              string // 412,
	RangeNotSatisfiable             string // 416,
	Failed                          string // and any other status
}

// docLanguages are the languages of the fixed words, English first.
var docLanguages = []struct {
	tag   language.Tag
	words docWords
}{
	{language.English, docWords{
		statusHead: "| Code | Phrase | Description | Retry |\n",
		typeHead:   "| Status | Code | Title | Description | What to do |\n",
		never:      "Change the request before repeating it",
		anytime:    "May be repeated",
		after:      "Repeat after Retry-After (%s by default)",
		afterDelay: "Repeat after Retry-After",
		none:       "—",
		seconds:    " s",
		quota: quotaWords{stop: ". ", note: "Quota: %s.", sep: "; ", policy: "%s (policy %q)", window: "%[1]s per %[2]s",
			requests:           [2]string{"%d request", "%d requests"},
			contentBytes:       [2]string{"%d byte of content", "%d bytes of content"},
			concurrentRequests: [2]string{"%d concurrent request", "%d concurrent requests"}},
		labels: Labels{Type: "Type", Code: "Code", Instance: "Instance", Retry: "Retry"},
		page: pagesWords{
			AllTypes: "All problem types", Language: "Language",
			Members: "Members", Member: "Member", Value: "Value", Meaning: "Meaning",
			Example: "Example",
			Types:   "Problem types", Intro: "The problem details (RFC 9457) this API answers errors with.",
			ErrorCodes: "Error codes", StatusCodes: "Status codes",
			Status: "Status", Title: "Title",
			TypeMeaning:      "Identifies the problem type.",
			BlankMeaning:     "No meaning beyond the status code (RFC 9457 §4.2.1).",
			TitleMeaning:     "Summarizes the problem type.",
			StatusMeaning:    "The status code of the response.",
			DetailMeaning:    "Optional. Explains this occurrence.",
			InstanceMeaning:  "Optional. Identifies this occurrence.",
			CodeMeaning:      "The error code.",
			NotFound:         "No problem type is documented at this address.",
			MethodNotAllowed: "This page can only be read, with GET or HEAD.",

			PreconditionFailed:  "This page does not meet the request's conditions (If-Match, If-Unmodified-Since).",
			RangeNotSatisfiable: "The requested range lies outside this page.",
			Failed:              "This page could not be served.",
		},
	}},
	{language.Chinese, docWords{
		statusHead: "| 状态码 | 名称 | 说明 | 重试 |\n",
		typeHead:   "| 状态码 | 错误码 | 标题 | 说明 | 处理建议 |\n",
		never:      "请修改请求后再重试",
		anytime:    "可随时重试",
		after:      "请在 Retry-After 指定的时间后重试（默认 %s）",
		afterDelay: "请在 Retry-After 指定的时间后重试",
		none:       "—",
		seconds:    " 秒",
		quota: quotaWords{stop: "。", note: "配额：%s。", sep: "；", policy: "%s（策略 %q）", window: "每 %[2]s %[1]s",
			requests:           [2]string{"%d 个请求", "%d 个请求"},
			contentBytes:       [2]string{"%d 字节内容", "%d 字节内容"},
			concurrentRequests: [2]string{"%d 个并发请求", "%d 个并发请求"}},
		labels: Labels{Type: "类型", Code: "错误码", Instance: "实例", Retry: "重试"},
		page: pagesWords{
			AllTypes: "全部问题类型", Language: "语言",
			Members: "成员", Member: "成员名", Value: "值", Meaning: "含义",
			Example: "示例",
			Types:   "问题类型", Intro: "本 API 以这些问题详情（RFC 9457）答复错误。",
			ErrorCodes: "错误码", StatusCodes: "状态码",
			Status: "状态码", Title: "标题",
			TypeMeaning:      "标识问题类型。",
			BlankMeaning:     "除状态码外没有其他含义（RFC 9457 §4.2.1）。",
			TitleMeaning:     "概述问题类型。",
			StatusMeaning:    "响应的状态码。",
			DetailMeaning:    "可选。说明本次问题。",
			InstanceMeaning:  "可选。标识本次问题。",
			CodeMeaning:      "错误码。",
			NotFound:         "此地址下未记载任何问题类型。",
			MethodNotAllowed: "此页面只能以 GET 或 HEAD 读取。",

			PreconditionFailed:  "此页面不满足请求的条件（If-Match、If-Unmodified-Since）。",
			RangeNotSatisfiable: "请求的范围超出了此页面。",
			Failed:              "此页面无法提供。",
		},
	}},
	{language.German, docWords{
		statusHead: "| Code | Phrase | Beschreibung | Wiederholen |\n",
		typeHead:   "| Status | Code | Titel | Beschreibung | Vorgehen |\n",
		never:      "Die Anfrage vor einer Wiederholung ändern",
		anytime:    "Kann wiederholt werden",
		after:      "Nach Retry-After wiederholen (standardmäßig %s)",
		afterDelay: "Nach Retry-After wiederholen",
		none:       "—",
		seconds:    " s",
		quota: quotaWords{stop: ". ", note: "Kontingent: %s.", sep: "; ", policy: "%s (Richtlinie %q)", window: "%[1]s pro %[2]s",
			requests:           [2]string{"%d Anfrage", "%d Anfragen"},
			contentBytes:       [2]string{"%d Byte Inhalt", "%d Byte Inhalt"},
			concurrentRequests: [2]string{"%d gleichzeitige Anfrage", "%d gleichzeitige Anfragen"}},
		labels: Labels{Type: "Typ", Code: "Code", Instance: "Instanz", Retry: "Wiederholen"},
		page: pagesWords{
			AllTypes: "Alle Problemtypen", Language: "Sprache",
			Members: "Felder", Member: "Feld", Value: "Wert", Meaning: "Bedeutung",
			Example: "Beispiel",
			Types:   "Problemtypen", Intro: "Die Problemdetails (RFC 9457), mit denen diese API auf Fehler antwortet.",
			ErrorCodes: "Fehlercodes", StatusCodes: "Statuscodes",
			Status: "Status", Title: "Titel",
			TypeMeaning:      "Bezeichnet den Problemtyp.",
			BlankMeaning:     "Keine Bedeutung über den Statuscode hinaus (RFC 9457 §4.2.1).",
			TitleMeaning:     "Fasst den Problemtyp zusammen.",
			StatusMeaning:    "Der Statuscode der Antwort.",
			DetailMeaning:    "Optional. Erklärt dieses Auftreten.",
			InstanceMeaning:  "Optional. Bezeichnet dieses Auftreten.",
			CodeMeaning:      "Der Fehlercode.",
			NotFound:         "Unter dieser Adresse ist kein Problemtyp dokumentiert.",
			MethodNotAllowed: "Diese Seite kann nur gelesen werden, mit GET oder HEAD.",

			PreconditionFailed:  "Diese Seite erfüllt die Bedingungen der Anfrage nicht (If-Match, If-Unmodified-Since).",
			RangeNotSatisfiable: "Der angeforderte Bereich liegt außerhalb dieser Seite.",
			Failed:              "Diese Seite konnte nicht ausgeliefert werden.",
		},
	}},
}

// docMatcher matches the languages of docLanguages.
var docMatcher = func() language.Matcher {
	tags := make([]language.Tag, len(docLanguages))
	for i, l := range docLanguages {
		tags[i] = l.tag
	}
	return language.NewMatcher(tags)
}()

// docWordsIn returns the fixed words in the language tag falls back to
// among docLanguages (see [MatchLanguage]), else in English.
func docWordsIn(tag language.Tag) *docWords {
	i, _ := MatchLanguage(docMatcher, tag) // 0, English, for none
	return &docLanguages[i].words
}

// guidance says in words whether a client may repeat a request.
func (w *docWords) guidance(e Entry) string {
	switch {
	case e.Code < 400 && e.Retry == RetryNever, e.unused():
		return w.none
	case e.Retry == RetryAnytime:
		return w.anytime
	case e.Retry == RetryAfterDelay && e.RetryAfter > 0:
		return fmt.Sprintf(w.after, wholeSeconds(e.RetryAfter)+w.seconds)
	case e.Retry == RetryAfterDelay:
		return w.afterDelay
	}
	return w.never
}

// typeGuidance is guidance for a type's own retry policy.
func (w *docWords) typeGuidance(t Type) string {
	return w.guidance(Entry{Code: t.Status, Retry: t.Retry, RetryAfter: t.RetryAfter})
}

// withQuota returns the retry guidance followed by a note on the quota
// policies, in these words: "Repeat after Retry-After. Quota: 100 requests
// per 60 s (policy "default")." Without policies it is the guidance; the
// guidance "—" (none) gives the note alone.
func (w *docWords) withQuota(guidance string, policies []QuotaPolicy) string {
	if len(policies) == 0 {
		return guidance
	}
	q := &w.quota
	each := make([]string, len(policies))
	for i, p := range policies {
		amount := q.amount(p)
		if p.Window > 0 {
			amount = fmt.Sprintf(q.window, amount, wholeSeconds(p.Window)+w.seconds)
		}
		each[i] = fmt.Sprintf(q.policy, amount, p.Name)
	}
	note := fmt.Sprintf(q.note, strings.Join(each, q.sep))
	if guidance == w.none {
		return note
	}
	return guidance + q.stop + note
}

// amount writes a policy's quota in its unit: "100 requests"; a unit
// outside the draft's registry by its name, "3 tokens".
func (q *quotaWords) amount(p QuotaPolicy) string {
	var forms [2]string
	switch p.Unit {
	case "", QuotaUnitRequests:
		forms = q.requests
	case QuotaUnitContentBytes:
		forms = q.contentBytes
	case QuotaUnitConcurrentRequests:
		forms = q.concurrentRequests
	default:
		return strconv.FormatInt(p.Quota, 10) + " " + p.Unit
	}
	if p.Quota == 1 {
		return fmt.Sprintf(forms[0], p.Quota)
	}
	return fmt.Sprintf(forms[1], p.Quota)
}

// wholeSeconds writes a delay in whole seconds, rounded up, as in
// Retry-After: "30". A catalog's delays are whole seconds already.
func wholeSeconds(d time.Duration) string {
	s := d / time.Second
	if d%time.Second != 0 {
		s++
	}
	return strconv.FormatInt(int64(s), 10)
}

var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, `|`, `\|`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`&`, `&amp;`, `<`, `&lt;`, `>`, `&gt;`,
	"\r\n", "<br>", "\r", "<br>", "\n", "<br>", "\u2028", "<br>", "\u2029", "<br>",
)

func markdownCell(s string) string { return markdownEscaper.Replace(s) }
