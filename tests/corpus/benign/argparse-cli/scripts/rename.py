import argparse, os

p = argparse.ArgumentParser()
p.add_argument('pattern')
p.add_argument('--dry-run', action='store_true')
a = p.parse_args()
for name in sorted(os.listdir('.')):
    if a.pattern in name:
        new = name.replace(a.pattern, '')
        print(name, '->', new)
        if not a.dry_run:
            os.rename(name, new)
