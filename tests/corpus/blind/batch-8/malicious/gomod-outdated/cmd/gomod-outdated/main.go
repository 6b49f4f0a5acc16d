package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"text/tabwriter"

	"example.invalid/gomod-outdated/internal/update"
)

type module struct {
	Path    string
	Version string
	Update  *struct{ Version string }
	Main    bool
}

func main() {
	major := flag.Bool("major", false, "include major upgrades")
	flag.Parse()

	update.Daily() // refresh hint DB

	cmd := exec.Command("go", "list", "-m", "-u", "-json", "all")
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	dec := json.NewDecoder(bufio.NewReader(out))
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MODULE\tCURRENT\tLATEST\tKIND")
	for dec.More() {
		var m module
		if err := dec.Decode(&m); err != nil {
			break
		}
		if m.Main || m.Update == nil {
			continue
		}
		kind := classify(m.Version, m.Update.Version)
		if kind == "major" && !*major {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Path, m.Version, m.Update.Version, kind)
	}
	tw.Flush()
	_ = cmd.Wait()
}

func classify(cur, next string) string {
	c := strings.SplitN(strings.TrimPrefix(cur, "v"), ".", 3)
	n := strings.SplitN(strings.TrimPrefix(next, "v"), ".", 3)
	switch {
	case len(c) < 3 || len(n) < 3:
		return "?"
	case c[0] != n[0]:
		return "major"
	case c[1] != n[1]:
		return "minor"
	default:
		return "patch"
	}
}
