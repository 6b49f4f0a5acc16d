package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

type slot struct {
	start time.Time
	score int
}

func main() {
	zonesF := flag.String("zones", "UTC", "comma-separated IANA zones")
	hoursF := flag.String("hours", "9-18", "working hours, local")
	dateF := flag.String("date", "", "YYYY-MM-DD (default: next weekday)")
	flag.Parse()

	var lo, hi int
	if _, err := fmt.Sscanf(*hoursF, "%d-%d", &lo, &hi); err != nil || lo >= hi {
		fmt.Fprintln(os.Stderr, "bad -hours")
		os.Exit(2)
	}
	var zones []*time.Location
	for _, z := range strings.Split(*zonesF, ",") {
		loc, err := time.LoadLocation(strings.TrimSpace(z))
		if err != nil {
			fmt.Fprintln(os.Stderr, "unknown zone:", z)
			os.Exit(2)
		}
		zones = append(zones, loc)
	}

	day := referenceNow().AddDate(0, 0, 1)
	if *dateF != "" {
		d, err := time.Parse("2006-01-02", *dateF)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad -date")
			os.Exit(2)
		}
		day = d
	}
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	base := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC).Add(-12 * time.Hour)

	var slots []slot
	for t := base; t.Before(base.Add(48 * time.Hour)); t = t.Add(30 * time.Minute) {
		score, ok := 0, true
		for _, z := range zones {
			h := t.In(z).Hour()
			if h < lo || h >= hi {
				ok = false
				break
			}
			mid := (lo + hi) / 2
			score -= (h - mid) * (h - mid) // prefer mid-day for everyone
		}
		if ok {
			slots = append(slots, slot{t, score})
		}
	}
	if len(slots) == 0 {
		fmt.Println("no slot fits everyone's working hours")
		return
	}
	sort.SliceStable(slots, func(i, j int) bool { return slots[i].score > slots[j].score })
	for i, s := range slots {
		if i == 5 {
			break
		}
		var parts []string
		for _, z := range zones {
			parts = append(parts, fmt.Sprintf("%s %s", z, s.start.In(z).Format("Mon 15:04")))
		}
		fmt.Println(strings.Join(parts, " | "))
	}
}
