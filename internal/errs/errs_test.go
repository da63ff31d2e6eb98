package errs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"testing"

	"github.com/problemkit/problemkit/internal/testkit"
)

// TestLikeTheStandardLibrary: within the bound, Is and As answer as errors.Is
// and errors.AsType do.
func TestLikeTheStandardLibrary(t *testing.T) {
	pathErr := &fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}
	for _, err := range []error{
		nil,
		context.Canceled,
		fmt.Errorf("a: %w", context.Canceled),
		errors.Join(errors.New("x"), fmt.Errorf("b: %w", pathErr)),
		fmt.Errorf("%w and %w", errors.New("y"), context.DeadlineExceeded),
		os.ErrNotExist,
		asPath{nil},
		asPath{pathErr},
		fmt.Errorf("c: %w", asPath{pathErr}),
		errors.Join(asPath{nil}, fmt.Errorf("d: %w", &fs.PathError{Op: "read", Err: errors.Join(asPath{pathErr})})),
		errors.Join(errors.Join(asPath{nil}), asPath{pathErr}),
	} {
		for _, target := range []error{context.Canceled, context.DeadlineExceeded, fs.ErrNotExist} {
			if got, want := Is(err, target), errors.Is(err, target); got != want {
				t.Errorf("Is(%v, %v) = %v, errors.Is says %v", err, target, got, want)
			}
		}
		got, gotOK := As[*fs.PathError](err)
		want, wantOK := errors.AsType[*fs.PathError](err)
		if got != want || gotOK != wantOK {
			t.Errorf("As(%v) = %v, %v; errors.AsType says %v, %v", err, got, gotOK, want, wantOK)
		}
	}
}

// asPath has an As method that gives p, when it is set, as a
// *fs.PathError.
type asPath struct{ p *fs.PathError }

func (e asPath) Error() string { return "as path" }

func (e asPath) As(target any) bool {
	t, ok := target.(**fs.PathError)
	if ok && e.p != nil {
		*t = e.p
	}
	return ok && e.p != nil
}

// TestBounded: errors that hold themselves end the search.
func TestBounded(t *testing.T) {
	for _, err := range []error{&testkit.SelfWrap{}, &testkit.SelfJoin{}, fmt.Errorf("x: %w", &testkit.SelfJoin{})} {
		if Is(err, context.Canceled) {
			t.Errorf("Is(%v) found what is not there", err)
		}
		if _, ok := As[*fs.PathError](err); ok {
			t.Errorf("As(%v) found what is not there", err)
		}
		n := 0
		Walk(err, func(error) bool { n++; return false })
		if n != Max {
			t.Errorf("Walk(%v) looked at %d errors, want %d", err, n, Max)
		}
	}
	if !Is(errors.Join(context.Canceled, &testkit.SelfWrap{}), context.Canceled) {
		t.Error("what lies before the loop is found")
	}
}
