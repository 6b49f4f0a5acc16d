module example.invalid/tfswitch-lite

go 1.22
