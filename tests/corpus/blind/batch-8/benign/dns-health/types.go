package main

import "net"

type netResolver = net.Resolver
