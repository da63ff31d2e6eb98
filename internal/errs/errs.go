// Package errs finds errors in a tree as errors.Is and errors.As do, but
// looks at a bounded number of them, so that an error that wraps itself, or
// a join that holds itself, can neither hang its caller nor exhaust the
// stack.
package errs

import "reflect"

// Max is how many errors of one tree Walk looks at, at most. Real trees
// hold a few dozen.
const Max = 10000

// Walk calls f for each error in err's tree, depth first, as errors.Is
// visits them, until f returns true, and reports whether it did. It looks
// at Max errors at most.
func Walk(err error, f func(error) bool) bool {
	budget := Max
	return walk(err, f, &budget)
}

func walk(err error, f func(error) bool, budget *int) bool {
	for err != nil {
		if *budget--; *budget < 0 {
			return false
		}
		if f(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if walk(e, f, budget) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// As is errors.AsType within Walk's bound.
func As[E error](err error) (E, bool) {
	var found E
	var target *E // for As methods, made once when first needed
	ok := Walk(err, func(e error) bool {
		if x, ok := e.(E); ok {
			found = x
			return true
		}
		if x, ok := e.(interface{ As(any) bool }); ok {
			if target == nil {
				target = new(E)
			}
			if x.As(target) {
				found = *target
				return true
			}
		}
		return false
	})
	return found, ok
}

// Is is errors.Is within Walk's bound.
func Is(err, target error) bool {
	if err == nil || target == nil {
		return err == target
	}
	comparable := reflect.TypeOf(target).Comparable()
	return Walk(err, func(e error) bool {
		if comparable && e == target {
			return true
		}
		x, ok := e.(interface{ Is(error) bool })
		return ok && x.Is(target)
	})
}
