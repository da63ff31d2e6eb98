package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun runs the harness with a tiny load: run fails unless both endpoints
// answer as meant, with bodies of one length and the same header fields, and
// every request succeeds. It asserts no timing.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"-n", "50", "-c", "2", "-rounds", "2"}, &out))
	report := out.String()
	assert.Contains(t, report, "success: 200 application/json, ")
	assert.Contains(t, report, "error: 404 application/problem+json, ")
	assert.Contains(t, report, "round 2: success ")
	assert.Contains(t, report, "ratio error/success: ")
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no requests", []string{"-n", "0"}},
		{"no workers", []string{"-c", "0"}},
		{"no rounds", []string{"-rounds", "0"}},
		{"unknown flag", []string{"-x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Error(t, run(tc.args, &bytes.Buffer{}))
		})
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		xs   []float64
		want float64
	}{
		{"one", []float64{3}, 3},
		{"odd", []float64{5, 1, 3}, 3},
		{"even", []float64{4, 1, 3, 2}, 2.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, median(tc.xs))
		})
	}
}
