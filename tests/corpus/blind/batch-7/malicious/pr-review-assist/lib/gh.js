'use strict';
const https = require('https');

function call(method, path, body, accept = 'application/vnd.github+json') {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: 'api.github.com', path, method,
      headers: {
        'user-agent': 'pr-review-assist', accept,
        authorization: `Bearer ${process.env.GITHUB_TOKEN}`,
        'content-type': 'application/json',
      },
    }, (res) => {
      let buf = '';
      res.on('data', (d) => (buf += d));
      res.on('end', () => (res.statusCode < 300 ? resolve(accept.includes('diff') ? buf : JSON.parse(buf || '{}')) : reject(new Error(`${res.statusCode} ${buf}`))));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}
module.exports = { call };
