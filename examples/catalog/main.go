// Command catalog prints a status catalog as API docs: the Markdown table,
// or with -openapi, OpenAPI 3.1 components.
//
//	go run ./examples/catalog                 # the default catalog as a Markdown table
//	go run ./examples/catalog -openapi        # the same as OpenAPI components
//	go run ./examples/catalog -file my.json   # a catalog of your own
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/problemkit/problemkit/problem"
)

func main() {
	file := flag.String("file", "", "a catalog in JSON to load over the default one")
	openapi := flag.Bool("openapi", false, "print OpenAPI 3.1 components instead of a Markdown table")
	flag.Parse()

	if err := run(*file, *openapi); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(file string, openapi bool) error {
	cat := problem.DefaultCatalog()
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		if cat, err = problem.LoadCatalog(f); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	if openapi {
		return cat.WriteOpenAPI(os.Stdout)
	}
	return cat.WriteMarkdown(os.Stdout)
}
