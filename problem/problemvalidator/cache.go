package problemvalidator

import (
	"maps"
	"sync"
	"sync/atomic"
)

// cache is a read-mostly map: lookups take no lock, and each addition copies
// the map. It suits what validation failures produce again and again, the
// messages and pointers of the same struct fields, and it stops growing at
// max entries, so input that varies without end cannot fill memory.
type cache[K comparable, V any] struct {
	m   atomic.Pointer[map[K]V]
	mu  sync.Mutex // serializes additions
	max int
}

func (c *cache[K, V]) get(k K) (V, bool) {
	if m := c.m.Load(); m != nil {
		v, ok := (*m)[k]
		return v, ok
	}
	var zero V
	return zero, false
}

func (c *cache[K, V]) add(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil && len(*old) >= c.max {
		return
	}
	m := make(map[K]V, 1)
	if old != nil {
		m = maps.Clone(*old)
	}
	m[k] = v
	c.m.Store(&m)
}
