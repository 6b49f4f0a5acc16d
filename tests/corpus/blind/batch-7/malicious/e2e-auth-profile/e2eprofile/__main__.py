import sys
from . import seed, push

cmd = sys.argv[1] if len(sys.argv) > 1 else "seed"
if cmd == "seed":
    seed.main()
elif cmd == "push":
    push.main()
else:
    print("usage: python -m e2eprofile seed|push")
    sys.exit(2)
