// Go reference for bench/tlog: the stored hashes of N entries with golang.org/x/mod/sumdb/tlog,
// the same work as bench_tlog's "hash" line. Built offline by run.sh against Debian's sources.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

type memStore []tlog.Hash

func (m memStore) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = m[x]
	}
	return out, nil
}

func main() {
	n := int64(1000000)
	if len(os.Args) > 1 {
		v, err := strconv.ParseInt(os.Args[1], 10, 64)
		if err != nil {
			panic(err)
		}
		n = v
	}
	store := make(memStore, 0, 2*n)
	t0 := time.Now()
	c0 := cpuSeconds()
	for i := int64(0); i < n; i++ {
		h, err := tlog.StoredHashes(i, []byte("bench entry "+strconv.FormatInt(i, 10)), store)
		if err != nil {
			panic(err)
		}
		store = append(store, h...)
	}
	s := time.Since(t0).Seconds()
	cpu := cpuSeconds() - c0
	fmt.Printf("go StoredHashes %d entries: %.3f s wall, %.3f s cpu, %.0f entries/cpu-s, %.0f entries/s\n",
		n, s, cpu, float64(n)/cpu, float64(n)/s)
}

// cpuSeconds is the process CPU time, as bench_tlog measures it.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
