"""Name tables for dependency detection: import names that differ from their distribution,
and Node's built-in modules.

The import table is deliberately small: the packages skills actually use whose import name
is not their distribution name. Anything else is looked up under its own (PEP 503
normalised) name, which is right for the large majority of packages (``requests``,
``numpy``, ``httpx``...).
"""

from __future__ import annotations

import re

__all__ = ["IMPORT_TO_DISTRIBUTION", "NODE_BUILTINS", "package_of"]

#: Top-level import name -> the PyPI distribution that provides it.
IMPORT_TO_DISTRIBUTION: dict[str, str] = {
    "yaml": "PyYAML",
    "PIL": "Pillow",
    "bs4": "beautifulsoup4",
    "cv2": "opencv-python",
    "sklearn": "scikit-learn",
    "skimage": "scikit-image",
    "dateutil": "python-dateutil",
    "dotenv": "python-dotenv",
    "docx": "python-docx",
    "pptx": "python-pptx",
    "fitz": "PyMuPDF",
    "jwt": "PyJWT",
    "Crypto": "pycryptodome",
    "OpenSSL": "pyOpenSSL",
    "magic": "python-magic",
    "serial": "pyserial",
    "usb": "pyusb",
    "git": "GitPython",
    "github": "PyGithub",
    "googleapiclient": "google-api-python-client",
    "attr": "attrs",
    "dns": "dnspython",
    "markdown": "Markdown",
    "frontmatter": "python-frontmatter",
    "slugify": "python-slugify",
    "multipart": "python-multipart",
    "jose": "python-jose",
    "websocket": "websocket-client",
    "zmq": "pyzmq",
    "Levenshtein": "python-Levenshtein",
    "pdfminer": "pdfminer.six",
    "mpl_toolkits": "matplotlib",
    "win32api": "pywin32",
    "win32con": "pywin32",
    "pkg_resources": "setuptools",
    "tomli_w": "tomli-w",
    "typing_extensions": "typing-extensions",
}

#: Node.js built-in modules (``require('fs')`` or ``import 'node:fs'`` need no package).
NODE_BUILTINS: frozenset[str] = frozenset(
    {
        "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants",
        "crypto", "dgram", "diagnostics_channel", "dns", "domain", "events", "fs", "http",
        "http2", "https", "inspector", "module", "net", "os", "path", "perf_hooks", "process",
        "punycode", "querystring", "readline", "repl", "stream", "string_decoder", "sys",
        "timers", "tls", "trace_events", "tty", "url", "util", "v8", "vm", "wasi",
        "worker_threads", "zlib", "test", "sqlite", "sea",
    }
)  # fmt: skip


_NPM_NAME = re.compile(r"^(?:@[a-z0-9][\w.~-]*/)?[a-z0-9][\w.~-]*$", re.IGNORECASE)


def package_of(specifier: str) -> str | None:
    """The npm package a bare module specifier imports (``lodash/fp`` -> ``lodash``); None for
    anything else: relative or absolute paths, URLs, ``node:`` and other built-in modules."""
    text = specifier.strip()
    if not text or text.startswith((".", "/", "#")) or ":" in text:
        return None  # relative, absolute, subpath import, or a scheme (node:, https:, data:)
    parts = text.split("/")
    name = "/".join(parts[:2]) if text.startswith("@") else parts[0]
    if not _NPM_NAME.match(name) or name in NODE_BUILTINS:
        return None
    return name
