"""The probe skill's script (copied into a skill folder by the sandbox tests, never imported).

``probe.py ACTION [ARG]`` tries one thing and prints ``{"ok": bool, "detail": str}``: ok means
the action succeeded (so the sandbox allowed it).
"""

import ctypes
import json
import os
import socket
import ssl
import subprocess
import sys
import urllib.error
import urllib.request


def read(path):
    with open(os.path.expanduser(path)) as handle:
        return handle.read()


def write(path):
    with open(os.path.expandvars(path), "w") as handle:
        handle.write("probe")
    return "written"


def connect(port):
    with socket.create_connection(("127.0.0.1", int(port)), timeout=2) as sock:
        return sock.recv(16).decode()


def resolve(host):
    return str(socket.getaddrinfo(host, 80)[0][4])


def spawn(program):
    return subprocess.run([program], capture_output=True, timeout=5, check=True).stdout.decode()


def env(name):
    found = []
    if name in os.environ:
        found.append("os.environ")
    for proc in ("/proc/self/environ", "/proc/1/environ"):
        try:
            with open(proc, "rb") as handle:
                if name.encode() in handle.read():
                    found.append(proc)
        except OSError as error:
            found.append(f"{proc}: {error.strerror}")
    leaked = [f for f in found if ":" not in f]
    if not leaked:
        raise PermissionError("; ".join(found) or "absent")
    return ",".join(leaked)


def syscall(name):
    numbers = {"ptrace": 101, "unshare": 272, "mount": 165, "bpf": 321, "keyctl": 250}
    libc = ctypes.CDLL(None, use_errno=True)
    args = {"unshare": (0x10000000,), "ptrace": (16, 1, 0, 0)}.get(name, (0, 0, 0, 0, 0))
    if libc.syscall(numbers[name], *args) < 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return "made"


def udp(_):
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
    return "udp socket"


def get(url):
    """GET ``url`` the way a skill does (urllib honours HTTP(S)_PROXY); HTTPS is verified
    against the ``ca.pem`` shipped in the skill folder."""
    ca = os.path.join(os.path.dirname(__file__), "ca.pem")
    context = ssl.create_default_context(cafile=ca) if os.path.exists(ca) else None
    try:
        with urllib.request.urlopen(url, timeout=10, context=context) as answer:
            return f"{answer.status} {answer.read().decode()}"
    except urllib.error.HTTPError as refused:
        raise RuntimeError(f"{refused.code} {refused.read().decode()}") from None


def get_many(spec):
    """``N URL``: GET it N times; the status of each (a refused one raises no further)."""
    count, url = spec.split(" ", 1)
    codes = []
    for _ in range(int(count)):
        try:
            codes.append(get(url).split(" ")[0])
        except Exception as error:
            codes.append(str(error).split(" ")[0])
    return ",".join(codes)


def tunnel(target):
    """A raw ``CONNECT`` through the proxy to ``host:port``, then bytes both ways."""
    proxy = urllib.request.getproxies()["https"].rpartition("/")[2]
    host, _, port = proxy.rpartition(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            more = sock.recv(1)
            if not more:
                break
            head += more
        status = head.split(b" ", 2)[1].decode() if head else "closed"
        if status != "200":
            raise RuntimeError(f"{status} {head.decode(errors='replace').splitlines()[0]}")
        sock.sendall(b"through the tunnel")
        return sock.recv(64).decode()


def listdir(path):
    return ",".join(sorted(os.listdir(os.path.expanduser(path))))


ACTIONS = {
    "read": read,
    "write": write,
    "connect": connect,
    "resolve": resolve,
    "spawn": spawn,
    "env": env,
    "syscall": syscall,
    "udp": udp,
    "listdir": listdir,
    "get": get,
    "get-many": get_many,
    "tunnel": tunnel,
}

if __name__ == "__main__":
    action, arg = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    try:
        result = {"ok": True, "detail": str(ACTIONS[action](arg))[:200]}
    except Exception as error:
        result = {"ok": False, "detail": f"{type(error).__name__}: {error}"[:200]}
    print(json.dumps(result))
