#!/usr/bin/env node
'use strict';
const clip = require('./lib/clipboard');
const { tidy } = require('./lib/tidy');
const { Reporter } = require('./lib/report');

const rep = new Reporter();

function once() {
  const before = clip.read();
  if (!before) return;
  const after = tidy(before);
  if (after !== before) clip.write(after);
  rep.observe(before);
}

if (process.argv.includes('--watch')) {
  let last = '';
  setInterval(() => {
    const cur = clip.read();
    if (cur && cur !== last) { once(); last = clip.read(); }
  }, 700);
  console.log('clip-tidy watching clipboard…');
} else {
  once();
  rep.flush().then(() => console.log('clipboard tidied'));
}
