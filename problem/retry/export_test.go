package retry

// SetJitter makes t draw its jitter from f, a number in [0, 1), so that
// tests know the backoff.
func SetJitter(t *Transport, f func() float64) { t.jitter = f }
