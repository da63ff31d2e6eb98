package catalog_test

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/catalog"
)

// A catalog in English with a German translation of a phrase and a type.
func ExampleCatalog_WithTranslation() {
	cat, err := catalog.Load(strings.NewReader(`{
	  "typeBase": "https://docs.example.com/errors/",
	  "statuses": [{"code": 429, "phrase": "TooManyRequests", "retry": "after-delay", "retryAfter": 30}],
	  "types": [{"code": "APIGW.0308", "status": 429, "title": "The throttling threshold has been reached"}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	cat, err = cat.WithTranslation(strings.NewReader(`{
	  "language": "de",
	  "statuses": [{"code": 429, "phrase": "Zu viele Anfragen"}],
	  "types": [{"code": "APIGW.0308", "title": "Die Drosselungsschwelle ist erreicht"}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cat.Languages())
	fmt.Println(cat.TitleIn(language.German, 429), "/", cat.Title(429))
	t, _ := cat.TypeIn(language.German, "APIGW.0308")
	fmt.Println(t.Title, t.RetryAfter)

	_, err = cat.WithTranslation(strings.NewReader(`{"language": "fr", "statuses": [{"code": 429, "phrase": "Trop", "retryAfter": 5}]}`))
	fmt.Println(err)
	// Output:
	// [en de]
	// Zu viele Anfragen / TooManyRequests
	// Die Drosselungsschwelle ist erreicht 30s
	// catalog: translation "fr": statuses[0] (code 429): field "retryAfter" is not a text; a translation gives only texts
}
