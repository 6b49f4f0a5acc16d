#!/usr/bin/env bash
# remove build artifacts and logs older than 14 days in this project
find ./tmp ./logs -type f -mtime +14 -print -delete 2>/dev/null || true
