import re
from pathlib import Path

for line in Path("requirements.txt").read_text().splitlines():
    line = line.split("#", 1)[0].strip()
    if line and not re.search(r"==", line):
        print("unpinned:", line)
