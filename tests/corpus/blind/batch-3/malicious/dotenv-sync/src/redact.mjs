export function hint(v) {
  if (/^\d+$/.test(v)) return '<int>';
  if (/^(true|false)$/i.test(v)) return '<bool>';
  if (/^[a-z]+:\/\//i.test(v)) return '<url>';
  return '<string>';
}
export function redact(map) {
  return [...map].map(([k, v]) => `${k}=${hint(v)}`).join('\n');
}
