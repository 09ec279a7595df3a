// Command accord-load measures API latency under concurrency for `make
// bench`: it sends GET requests for random ids to a running accord server
// from a number of concurrent clients and prints latency percentiles as JSON.
//
//	accord-load --url http://127.0.0.1:8080/api/v1/loans/%d --token TOKEN --ids 1-100000 --clients 200 --requests 40000
//
// Its plans subcommand puts open cases of a demo portfolio under repayment
// plans through the negotiation use cases, to measure the nightly run with
// plans (plans.go):
//
//	accord-load plans --db sqlite:big.db --key-file k --plans 50000 --as-of 2026-11-22
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type result struct {
	Requests int     `json:"requests"`
	Clients  int     `json:"clients"`
	Errors   int64   `json:"errors"`
	P50MS    float64 `json:"p50_ms"`
	P90MS    float64 `json:"p90_ms"`
	P99MS    float64 `json:"p99_ms"`
	MaxMS    float64 `json:"max_ms"`
	RPS      float64 `json:"rps"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "plans" {
		os.Exit(plansMain(os.Args[2:]))
	}
	url := flag.String("url", "", "URL pattern with %d for the id")
	token := flag.String("token", "", "API bearer token")
	ids := flag.String("ids", "", "id range lo-hi (default: discover ids from --list)")
	list := flag.String("list", "", "list URL returning {\"items\":[{\"loan\":{\"id\":…}}]} to discover existing ids (e.g. http://…/api/v1/loans?limit=1000)")
	clients := flag.Int("clients", 200, "concurrent clients")
	requests := flag.Int("requests", 20000, "total requests")
	flag.Parse()
	tr := &http.Transport{MaxIdleConns: *clients, MaxIdleConnsPerHost: *clients}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var pool []int64
	var lo, hi int64
	var err error
	if *ids != "" {
		lo, hi, err = parseRange(*ids)
	} else if *list != "" {
		pool, err = discover(client, *list, *token)
	} else {
		err = fmt.Errorf("give --ids or --list")
	}
	if err != nil || *url == "" {
		fmt.Fprintln(os.Stderr, "accord-load:", err)
		fmt.Fprintln(os.Stderr, "usage: accord-load --url URL_WITH_PERCENT_D --token T (--ids LO-HI | --list URL) [--clients N] [--requests N]")
		os.Exit(2)
	}
	lat := make([]time.Duration, *requests)
	var next, errors atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < *clients; c++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 7))
			for {
				i := next.Add(1) - 1
				if i >= int64(*requests) {
					return
				}
				var id int64
				if pool != nil {
					id = pool[rng.IntN(len(pool))]
				} else {
					id = lo + rng.Int64N(hi-lo+1)
				}
				req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf(*url, id), nil)
				req.Header.Set("Authorization", "Bearer "+*token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						errors.Add(1)
					}
				} else {
					errors.Add(1)
				}
				lat[i] = time.Since(t0)
			}
		}(uint64(c))
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	_ = json.NewEncoder(os.Stdout).Encode(result{Requests: *requests, Clients: *clients, Errors: errors.Load(),
		P50MS: pct(.50), P90MS: pct(.90), P99MS: pct(.99), MaxMS: pct(1), RPS: float64(*requests) / elapsed.Seconds()})
}

func parseRange(s string) (int64, int64, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("bad range")
	}
	lo, err1 := strconv.ParseInt(a, 10, 64)
	hi, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || hi < lo {
		return 0, 0, fmt.Errorf("bad range")
	}
	return lo, hi, nil
}

// discover reads up to ten pages of a list endpoint to find ids that exist.
func discover(client *http.Client, list, token string) ([]int64, error) {
	var ids []int64
	for page := 0; page < 10; page++ {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s&offset=%d", list, page*1000), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		var body struct {
			Items []struct {
				Loan struct {
					ID int64 `json:"id"`
				} `json:"loan"`
			} `json:"items"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", list, err)
		}
		for _, it := range body.Items {
			ids = append(ids, it.Loan.ID)
		}
		if len(body.Items) < 1000 {
			break
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no ids found at %s", list)
	}
	return ids, nil
}
