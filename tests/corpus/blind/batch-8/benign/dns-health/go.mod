module example.invalid/dns-health

go 1.22
