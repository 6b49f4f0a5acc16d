module example.invalid/gomod-outdated

go 1.22
