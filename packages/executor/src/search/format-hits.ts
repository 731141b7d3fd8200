import type { ShownHit } from './search-request';

/** JSON lines: one object per hit, ids as strings (exact past 2^53), keys as the Python payload names them. */
export function hitsAsJson(hits: readonly ShownHit[]): string[] {
  return hits.map((hit) =>
    JSON.stringify({
      query: hit.query,
      rank: hit.rank,
      id: hit.id.toString(),
      score: hit.score,
      uri: hit.uri,
      start_line: hit.startLine,
      end_line: hit.endLine,
      preview: hit.preview,
      ...(hit.matches && { matches: hit.matches }),
    }),
  );
}

/** `uri:start-end`, or the chunk id when the catalog could not say where the chunk is. */
function location(hit: ShownHit): string {
  if (hit.uri === null) return `chunk ${hit.id}`;
  if (hit.startLine === null) return hit.uri;
  return hit.endLine === null || hit.endLine === hit.startLine
    ? `${hit.uri}:${hit.startLine}`
    : `${hit.uri}:${hit.startLine}-${hit.endLine}`;
}

/** ` "token"` when the token's text is known. */
const spelled = (token: string | null | undefined) => (typeof token === 'string' ? ` ${JSON.stringify(token)}` : '');

/** The preview's first non-blank line, trimmed. */
function firstLine(preview: string | null): string {
  return (
    (preview ?? '')
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? ''
  );
}

/**
 * A table for people: rank, score, `uri:start-end` and the preview's first line, cut to `width`
 * columns; with explanations, a line per query token under each hit.
 */
export function hitsAsTable(hits: readonly ShownHit[], width: number): string[] {
  const rows = hits.map((hit) => [String(hit.rank), hit.score.toFixed(3), location(hit)]);
  const widths = [0, 1, 2].map((c) => Math.max(['rank', 'score', 'chunk'][c].length, ...rows.map((r) => r[c].length)));
  const fit = (line: string) => (line.length > width ? `${line.slice(0, width - 1)}…` : line);
  const line = (cells: string[], preview: string) =>
    fit(
      `${cells[0].padStart(widths[0])}  ${cells[1].padStart(widths[1])}  ${cells[2].padEnd(widths[2])}  ${preview}`.trimEnd(),
    );
  const out = [line(['rank', 'score', 'chunk'], 'preview')];
  hits.forEach((hit, i) => {
    out.push(line(rows[i], firstLine(hit.preview)));
    for (const match of hit.matches ?? []) {
      const query = `query token ${match.q_index}${spelled(match.q_token)}`;
      const chunk =
        match.doc_index === null
          ? 'no chunk token retrieved, imputed'
          : `chunk token ${match.doc_index}${spelled(match.doc_token)}`;
      out.push(fit(`${' '.repeat(widths[0] + 2)}${query} → ${chunk} (${match.similarity.toFixed(3)})`));
    }
  });
  return out;
}
