package sweep

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard is the part K of N (1 <= K <= N) of a split of the repositories by
// name. The zero Shard holds every repository.
type Shard struct{ K, N int }

// ParseShard reads "K/N" ("" for no split).
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	ks, ns, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(strings.TrimSpace(ks))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return Shard{}, fmt.Errorf("shard %q: want K/N with 1 <= K <= N", s)
	}
	return Shard{K: k, N: n}, nil
}

// Has reports whether the repository fullName ("owner/name") falls in the
// shard: FNV-1a (32 bit) of the lower-cased name, modulo N, equals K-1. The
// split depends on nothing but the name, so N runners with shards 1/N .. N/N
// cover every repository exactly once.
func (s Shard) Has(fullName string) bool {
	if s.N <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(fullName)))
	return int(h.Sum32()%uint32(s.N)) == s.K-1
}

// String returns "K/N", or "" for no split.
func (s Shard) String() string {
	if s.N == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}
