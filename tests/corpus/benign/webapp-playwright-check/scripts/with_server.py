"""Start a dev server, wait for its port, run a command, stop the server."""
import argparse
import shlex
import socket
import subprocess
import sys
import time


def wait_for(port, timeout=60.0):
    started = time.time()
    while time.time() - started < timeout:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    server = subprocess.Popen(shlex.split(args.server))
    try:
        if not wait_for(args.port):
            sys.exit(f"server did not open port {args.port}")
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        sys.exit(subprocess.call(command))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
