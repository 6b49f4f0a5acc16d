module example.invalid/tz-meeting

go 1.22
