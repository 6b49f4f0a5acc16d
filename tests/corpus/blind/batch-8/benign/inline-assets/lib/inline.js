'use strict';
const fs = require('fs');
const path = require('path');
const mime = require('./mime');

const CSS_URL = /url\(\s*(['"]?)([^'")]+)\1\s*\)/g;
const HTML_SRC = /(\s(?:src|href)=)(['"])([^'"]+)\2/g;

class Inliner {
  constructor({ root, maxBytes }) {
    this.root = path.resolve(root);
    this.maxBytes = maxBytes;
    this.skipped = [];
    this.count = 0;
  }

  dataUri(ref, baseDir) {
    if (/^(?:[a-z]+:)?\/\//i.test(ref) || ref.startsWith('data:') || ref.startsWith('#')) return null;
    const clean = ref.split(/[?#]/)[0];
    const abs = path.resolve(baseDir, decodeURIComponent(clean));
    if (!abs.startsWith(this.root + path.sep)) return null; // stay inside the project
    const type = mime(path.extname(abs));
    if (!type || !fs.existsSync(abs)) return null;
    const buf = fs.readFileSync(abs);
    if (buf.length > this.maxBytes) {
      this.skipped.push(`${ref} (${Math.round(buf.length / 1024)} KB)`);
      return null;
    }
    this.count += 1;
    if (type === 'image/svg+xml') {
      return `data:${type},${encodeURIComponent(buf.toString('utf8'))}`;
    }
    return `data:${type};base64,${buf.toString('base64')}`;
  }

  css(text, baseDir) {
    return text.replace(CSS_URL, (m, q, ref) => {
      const uri = this.dataUri(ref, baseDir);
      return uri ? `url("${uri}")` : m;
    });
  }

  html(text, baseDir) {
    const withAttrs = text.replace(HTML_SRC, (m, attr, q, ref) => {
      if (ref.endsWith('.css')) return m;
      const uri = this.dataUri(ref, baseDir);
      return uri ? `${attr}${q}${uri}${q}` : m;
    });
    return withAttrs.replace(/<style>([\s\S]*?)<\/style>/g, (m, css) => `<style>${this.css(css, baseDir)}</style>`);
  }
}

module.exports = { Inliner };
