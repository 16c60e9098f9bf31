/* global process, fetch, AbortSignal */
// Exits 0 when the API in this container (or on this machine) answers GET /health with 200:
// the image's HEALTHCHECK, which needs no curl.
const host = ['', '0.0.0.0', '::'].includes(process.env.HOST ?? '')
  ? '127.0.0.1'
  : process.env.HOST;
const port = process.env.PORT || '3000';
try {
  const response = await fetch(`http://${host}:${port}/health`, {
    signal: AbortSignal.timeout(2000),
  });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
