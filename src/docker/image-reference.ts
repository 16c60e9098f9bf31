/**
 * An image reference split into repository and tag, as `docker tag` needs them:
 * `registry:5000/shop/api:dev` → `{ repo: 'registry:5000/shop/api', tag: 'dev' }`; no tag is
 * `latest`, and a digest (`@sha256:…`) is dropped.
 */
export function splitTag(reference: string): { repo: string; tag: string } {
  const withoutDigest = reference.split('@')[0] ?? reference;
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > withoutDigest.lastIndexOf('/')) {
    return { repo: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
  }
  return { repo: withoutDigest, tag: 'latest' };
}
