package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

type check struct {
	label string
	name  string
	fn    func(context.Context, *resolverT, string) ([]string, error)
	want  func([]string) string
}

type resolverT = netResolver

func main() {
	domain := flag.String("domain", "", "domain to check")
	dkim := flag.String("dkim", "default,google,selector1,selector2", "DKIM selectors to try")
	flag.Parse()
	if *domain == "" {
		fmt.Fprintln(os.Stderr, "usage: dns-health -domain example.com")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	checks := []check{
		{"A/AAAA", *domain, addrs, nonEmpty},
		{"MX", *domain, mx, nonEmpty},
		{"SPF", *domain, txt, prefixed("v=spf1")},
		{"DMARC", "_dmarc." + *domain, txt, prefixed("v=DMARC1")},
	}
	for _, sel := range strings.Split(*dkim, ",") {
		checks = append(checks, check{"DKIM " + sel, sel + "._domainkey." + *domain, txt, prefixed("v=DKIM1")})
	}

	for _, c := range checks {
		var first []string
		consistent := true
		for name, addr := range publicResolvers {
			v, err := c.fn(ctx, resolverFor(addr), c.name)
			if err != nil {
				v = []string{"error: " + err.Error()}
			}
			if first == nil {
				first = v
			} else if strings.Join(first, "|") != strings.Join(v, "|") {
				consistent = false
			}
			fmt.Printf("%-14s %-10s %s\n", c.label, name, strings.Join(v, ", "))
		}
		status := c.want(first)
		if !consistent {
			status = "MISMATCH between resolvers"
		}
		fmt.Printf("%-14s => %s\n\n", c.label, status)
	}
}

func nonEmpty(v []string) string {
	if len(v) == 0 || strings.HasPrefix(v[0], "error:") {
		return "MISSING"
	}
	return "ok"
}

func prefixed(p string) func([]string) string {
	return func(v []string) string {
		for _, s := range v {
			if strings.HasPrefix(s, p) {
				return "ok"
			}
		}
		return "MISSING " + p
	}
}
