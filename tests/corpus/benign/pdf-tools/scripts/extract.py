import sys
from pathlib import Path
from pypdf import PdfReader

out = Path('output')
out.mkdir(exist_ok=True)
reader = PdfReader(sys.argv[1])
(out / 'text.txt').write_text('\n'.join(p.extract_text() or '' for p in reader.pages))
