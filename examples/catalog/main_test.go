package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/problemkit/problemkit/internal/golden"
)

// TestDocsMatchCatalog fails when the docs in this directory no longer
// match vendor.json and vendor.zh.json. Regenerate them with
//
//	go run ./examples/catalog > examples/catalog/errors.en.md
//	go run ./examples/catalog -lang zh > examples/catalog/errors.zh.md
//	go run ./examples/catalog -openapi > examples/catalog/openapi.json
func TestDocsMatchCatalog(t *testing.T) {
	cat, err := load()
	require.NoError(t, err)
	for _, tc := range []struct {
		file  string
		write func(io.Writer) error
	}{
		{"errors.en.md", func(w io.Writer) error { return writeDocs(w, cat, language.English) }},
		{"errors.zh.md", func(w io.Writer) error { return writeDocs(w, cat, language.Chinese) }},
		{"openapi.json", cat.WriteOpenAPI},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var want bytes.Buffer
			require.NoError(t, tc.write(&want))
			got, err := os.ReadFile(tc.file)
			require.NoError(t, err)
			assert.Equal(t, want.String(), string(got), "%s is out of date: regenerate it from the catalog files", tc.file)
		})
	}
}

// TestDocsInBothLanguages: the docs hold the vendor's statuses and error
// codes, each in its language.
func TestDocsInBothLanguages(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"errors.en.md", []string{
			"| 404 | NotFound | No parcel, route or depot has this identifier. | Change the request before repeating it |\n",
			"| 429 | PCL.0430 | The daily label quota is used up | A key may print 1000 labels a day. The quota resets at midnight UTC. | Repeat after Retry-After (3600 s by default) |\n",
		}},
		{"errors.zh.md", []string{
			"| 404 | 未找到 | 没有与此标识符对应的包裹、线路或网点。 | 请修改请求后再重试 |\n",
			"| 429 | PCL.0430 | 今日面单配额已用完 | 每个密钥每天最多打印 1000 张面单，配额于 UTC 零点重置。 | 请在 Retry-After 指定的时间后重试（默认 3600 秒） |\n",
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := os.ReadFile(tc.file)
			require.NoError(t, err)
			for _, line := range tc.want {
				assert.Contains(t, string(got), line)
			}
			assert.NotContains(t, string(got), "| 402 |", "only the vendor's statuses are documented")
		})
	}
}

// TestAPIAnswersAsDocumented sends requests over a loopback connection and
// compares each response, status line, header fields and body, with its
// golden file under testdata/: the titles are the catalog's in the language
// negotiated on Accept-Language, which Content-Language names, with
// Accept-Language in Vary; zh-CN falls back to zh, and de, which the
// catalog lacks, gets English.
func TestAPIAnswersAsDocumented(t *testing.T) {
	cat, err := load()
	require.NoError(t, err)
	srv := httptest.NewServer(newAPI(cat, slog.New(slog.DiscardHandler)))
	defer srv.Close()

	const badShipment = `{"postcode":"12","weightKg":45}`
	for _, tc := range []struct {
		name, method, path, lang, auth, body string
		golden                               string
	}{
		{name: "parcel found", method: "GET", path: "/parcels/P1", golden: "parcel-found.http"},
		{name: "parcel missing", method: "GET", path: "/parcels/P9", golden: "parcel-missing.en.http"},
		{name: "parcel missing zh", method: "GET", path: "/parcels/P9", lang: "zh", golden: "parcel-missing.zh.http"},
		{name: "parcel missing zh-CN", method: "GET", path: "/parcels/P9", lang: "zh-CN", golden: "parcel-missing.zh.http"},
		{name: "parcel missing de falls back to English", method: "GET", path: "/parcels/P9", lang: "de", golden: "parcel-missing.en.http"},
		{name: "method not allowed zh", method: "DELETE", path: "/parcels/P1", lang: "zh", golden: "method-not-allowed.zh.http"},
		{name: "track without key zh", method: "GET", path: "/track/P1", lang: "zh-CN,zh;q=0.9,en;q=0.5", golden: "track-no-key.zh.http"},
		{name: "track with key", method: "GET", path: "/track/P1", auth: "Bearer demo", golden: "track-forbidden.en.http"},
		{name: "shipment invalid", method: "POST", path: "/shipments", body: badShipment, golden: "shipment-invalid.en.http"},
		{name: "shipment invalid zh", method: "POST", path: "/shipments", lang: "zh", body: badShipment, golden: "shipment-invalid.zh.http"},
		{name: "shipment not JSON zh", method: "POST", path: "/shipments", lang: "zh", body: "postcode=12", golden: "shipment-not-json.zh.http"},
		{name: "quota first", method: "GET", path: "/quota", golden: "quota-first.http"},
		{name: "quota used up zh", method: "GET", path: "/quota", lang: "zh", golden: "quota-used-up.zh.http"},
		{name: "labels in maintenance", method: "GET", path: "/labels/P1", golden: "labels-maintenance.en.http"},
		{name: "depot timeout zh", method: "GET", path: "/depots/slow", lang: "zh", golden: "depot-timeout.zh.http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			require.NoError(t, err)
			if tc.lang != "" {
				req.Header.Set("Accept-Language", tc.lang)
			}
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			golden.Assert(t, tc.golden, golden.Response(t, resp))
		})
	}
}
