// Generates tests/data/npm_semver/cases.json: what the REAL npm `semver` says about a
// deterministic pseudo-random mix of ranges and versions. Run scripts/gen_npm_semver_cases.sh
// (which installs the pinned semver into ./gen) rather than this file directly.
//
// Output (one entry per line so diffs stay readable):
//   semver:  the npm semver version that produced the answers
//   ranges:  [range, desugared || null when npm calls it invalid, [[version, 0|1], ...]]
//            desugared is npm's Range.set as comparator strings ("" = any)
//   compare: [a, b, semver.compare(a, b)]
import { createRequire } from 'node:module'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(join(here, 'gen', 'package.json'))
const semver = require('semver')
const semverVersion = require('semver/package.json').version

// mulberry32: tiny, seedable, identical on every machine.
let seed = 0x7a4b2025
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)]
const chance = (p) => rand() < p

const NUMS = [0, 0, 1, 1, 2, 3, 5, 10]
const PRES = ['alpha', 'alpha.1', 'beta', 'beta.2', 'beta.11', 'rc.1', '0', '1', 'alpha.beta', 'x-y', '1a', 'rc.1.2']
const XS = ['x', 'X', '*']
const BUILDS = ['build.1', 'sha-5114f85', '001']

const num = () => String(pick(NUMS))
const full = (pre = 0.3) => `${num()}.${num()}.${num()}${chance(pre) ? '-' + pick(PRES) : ''}`
const part = () => (chance(0.15) ? pick(XS) : num())

// A version-ish operand: full, partial, or with x's; sometimes with v/= prefix or build.
function operand () {
  let text
  const r = rand()
  if (r < 0.45) text = full()
  else if (r < 0.6) text = part()
  else if (r < 0.8) text = `${num()}.${part()}`
  else text = `${num()}.${part()}.${part()}`
  if (chance(0.05)) text = pick(['v', '=', 'v=', '= ']) + text
  if (chance(0.04)) text += '+' + pick(BUILDS)
  return text
}

const OPS = ['', '', '', '^', '^', '~', '~', '~>', '=', '<', '<=', '>', '>=', '>=']

function comparator () {
  const op = pick(OPS)
  const space = op && chance(0.12) ? ' ' : ''
  return op + space + operand()
}

function alternative () {
  if (chance(0.15)) return `${operand()} - ${operand()}`
  const n = 1 + Math.floor(rand() * (chance(0.5) ? 1 : 3))
  return Array.from({ length: n }, comparator).join(chance(0.1) ? '  ' : ' ')
}

function range () {
  const n = chance(0.7) ? 1 : 2 + Math.floor(rand() * 2)
  const sep = pick([' || ', '||', ' ||', '  ||  '])
  let text = Array.from({ length: n }, alternative).join(sep)
  if (chance(0.05)) text = pick([' ', '\t', '  ']) + text + pick(['', ' ', '\n'])
  return text
}

// Hand-written forms: the documented ones, npm's own quirks, and things that must fail.
const FIXED = [
  '', '*', 'x', 'X', '1', '1.2', '1.2.3', '1.x', '1.X', '1.*', '1.2.x', '1.2.*', '1.x.x', '*.*.*',
  '^0.0.3', '^0.0', '^0', '^0.1.2', '^1.2.3-beta.2', '^0.0.3-beta', '^1.2', '^1', '^*', '^1.x',
  '~1.2', '~1', '~1.2.3', '~1.2.3-beta.2', '~0.0.1', '~>1.2.3', '~> 1.2', '~ 1.2.3', '^ 1.2.3',
  '>= 1.2.3', '>=1.2.3 <2.0.0', '> 1.2', '<= 1.2', '<1.2', '>1', '<1', '>=1', '<=1', '>*', '<*',
  '>=*', '<=*', '=*', '=1.2.3', 'v1.2.3', '=v1.2.3', '>=v1.2.3', '> =1.2.3', 'v 1.2.3',
  '1.2.3 - 2.3.4', '1.2 - 2.3.4', '1.2.3 - 2.3', '1.2.3 - 2', '1 - 2', '* - 2', '1.2.3 - *',
  'v1.2.3 - v2.0.0', '1.2.3-alpha - 2.0.0-beta', '1.2.3+build - 2.0.0+build', '1.2.3 -  2.0.0',
  '1.2.3 || 2.x', '^1.2.3 || ^2.0.0 || ~3.1', '* || 1.0.0-rc.1', '1.0.0-rc.1 || *', 'x || 1.2.3-beta',
  '>=0.0.0', '>=0.0.0 || 1.0.0-rc.1', '<0.0.0-0', '<0.0.0-0 || 1.2.3', '>* || 1.2.3', '<0.0.0',
  '>=1.2.3-beta.1 <1.2.3-beta.5', '>1.2.3-alpha <1.2.4', '1.2.3-0', '>=1.2.3-0', '<2.0.0-0',
  '>=9007199254740991.0.0', '^9007199254740991.0.0', '9007199254740992.0.0', '~1.9007199254740991',
  '1.2.3+build', '^1.2+build', '1.2.3+', '1.2.3*', '*1.2.3', '1.2.3-', '1.2.3.4', '01.2.3', '1.02',
  '1.x.3', 'x.1', '1.2.3 - ', ' - 1.2.3', '1.2.3 -2.0.0', '^^1.2', '~~1', '>==1.2.3', '=1.2.3 - 2',
  '>=1.2.3 - 2.0.0', 'foo', '1.2.3 foo', '||', '1.2.3 ||', '|| 1.2.3', '1 |  | 2', '1.2.3beta',
  '>=1.2.3beta', 'latest', 'v', '^', '~', '>', '<', '=', '>=', '1.2.3 <', '1 2', '1 || 2 || 3',
  '>1.0.0 <1.0.1-0', '>=1.0.0 <=1.0.0', '>1.0.0 <1.0.0', '1.2.3\t-\t2.0.0', '1.2.3\u00a0- 2.0.0',
  '\u00a01.2.3', '1.2.3\n', 'V1.2.3', '1.2.3-beta.01', '1.2.3-beta..1', '1.2.3-ß', '１.2.3',
]

const ranges = new Map()
for (const r of FIXED) ranges.set(r, null)
while (ranges.size < 1200) ranges.set(range(), null)

const VERSION_POOL = []
for (let i = 0; i < 200; i++) VERSION_POOL.push(full(0.4))

// Versions just around each bound npm desugared the range to: where mistakes hide.
function edges (v) {
  const s = semver.parse(v)
  if (!s) return []
  const { major: M, minor: m, patch: p } = s
  const out = [s.version, `${M}.${m}.${p}`, `${M}.${m}.${p}-0`, `${M}.${m}.${p}-alpha`,
    `${M}.${m}.${p + 1}`, `${M}.${m}.${p + 1}-0`, `${M}.${m + 1}.0`, `${M + 1}.0.0`,
    `${M}.${m}.${p}-${pick(PRES)}`]
  if (p > 0) out.push(`${M}.${m}.${p - 1}`)
  if (m > 0) out.push(`${M}.${m - 1}.${p}`)
  if (s.prerelease.length) out.push(`${s.version}.0`, `${M}.${m}.${p}-${s.prerelease.join('.')}.1`)
  return out
}

const lines = []
for (const r of ranges.keys()) {
  let parsed = null
  try { parsed = new semver.Range(r) } catch { parsed = null }
  if (parsed === null) {
    if (semver.validRange(r) !== null) throw new Error(`validRange disagrees on ${r}`)
    lines.push([r, null, []])
    continue
  }
  const desugared = parsed.set.map((alt) => alt.map((c) => c.value))
  const candidates = new Set()
  for (const alt of parsed.set) {
    for (const c of alt) {
      if (c.semver && c.semver.version) for (const e of edges(c.semver.version)) candidates.add(e)
    }
  }
  const chosen = new Set()
  const cands = [...candidates].filter((v) => semver.valid(v) === v)
  for (let i = 0; i < 5 && cands.length; i++) chosen.add(pick(cands))
  // Most edge versions fall outside; make sure matches are well represented too.
  const inside = cands.filter((v) => semver.satisfies(v, r))
  for (let i = 0; i < 2 && inside.length; i++) chosen.add(pick(inside))
  for (let i = 0; i < 2; i++) chosen.add(pick(VERSION_POOL))
  const checks = [...chosen].sort().map((v) => [v, semver.satisfies(v, r) ? 1 : 0])
  lines.push([r, desugared, checks])
}

const compare = []
for (let i = 0; i < 400; i++) {
  let a = pick(VERSION_POOL)
  let b = chance(0.3) ? edges(a).filter((v) => semver.valid(v) === v).at(-1) ?? a : pick(VERSION_POOL)
  if (chance(0.1)) a += '+' + pick(BUILDS)
  if (chance(0.1)) b += '+' + pick(BUILDS)
  compare.push([a, b, semver.compare(a, b)])
}

const body = [
  '{',
  `"semver": ${JSON.stringify(semverVersion)},`,
  '"ranges": [',
  lines.map((l) => JSON.stringify(l)).join(',\n'),
  '],',
  '"compare": [',
  compare.map((l) => JSON.stringify(l)).join(',\n'),
  ']',
  '}',
  '',
].join('\n')
writeFileSync(join(here, 'cases.json'), body)
const pairs = lines.reduce((n, l) => n + l[2].length, 0)
const invalid = lines.filter((l) => l[1] === null).length
console.log(`wrote ${lines.length} ranges (${invalid} invalid), ${pairs} (version, range) pairs, ${compare.length} comparisons`)
