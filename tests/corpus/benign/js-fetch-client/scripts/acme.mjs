// Docs: https://docs.acme.dev/api
const KEY = process.env.ACME_API_KEY;
const res = await fetch('https://api.acme.dev/v1/search?q=' + encodeURIComponent(process.argv[2]), {
  headers: { Authorization: `Bearer ${KEY}` },
});
console.log(await res.json());
