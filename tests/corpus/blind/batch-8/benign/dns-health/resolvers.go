package main

import (
	"context"
	"net"
	"sort"
	"strings"
	"time"
)

var publicResolvers = map[string]string{
	"cloudflare": "1.1.1.1:53",
	"google":     "8.8.8.8:53",
	"quad9":      "9.9.9.9:53",
}

func resolverFor(addr string) *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			d := net.Dialer{Timeout: 3 * time.Second}
			return d.DialContext(ctx, "udp", addr)
		},
	}
}

type answer struct {
	resolver string
	values   []string
	err      error
}

func txt(ctx context.Context, r *net.Resolver, name string) ([]string, error) {
	v, err := r.LookupTXT(ctx, name)
	sort.Strings(v)
	return v, err
}

func mx(ctx context.Context, r *net.Resolver, name string) ([]string, error) {
	recs, err := r.LookupMX(ctx, name)
	var out []string
	for _, m := range recs {
		out = append(out, strings.TrimSuffix(m.Host, "."))
	}
	sort.Strings(out)
	return out, err
}

func addrs(ctx context.Context, r *net.Resolver, name string) ([]string, error) {
	v, err := r.LookupHost(ctx, name)
	sort.Strings(v)
	return v, err
}
