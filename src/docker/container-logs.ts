/**
 * Docker multiplexes stdout and stderr of a container without a TTY into frames of
 * `[stream, 0, 0, 0, size (4 bytes BE)] + payload`. Turn a buffer of such frames into text;
 * anything that does not look framed is returned as plain text.
 */
export function demuxDockerLogs(buffer: Buffer): string {
  const chunks: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    if (stream !== 0 && stream !== 1 && stream !== 2) return buffer.toString('utf8');
    const size = buffer.readUInt32BE(offset + 4);
    chunks.push(buffer.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  if (offset < buffer.length && chunks.length === 0) return buffer.toString('utf8');
  return chunks.join('');
}

/** The last `count` non-empty lines of a text. */
export function lastLines(text: string, count: number): string[] {
  if (count <= 0) return [];
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0)
    .slice(-count);
}
