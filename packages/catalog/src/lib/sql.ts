/** Quotes a possibly schema-qualified identifier (`main.chunks`) for DuckDB SQL. */
export function quoteIdentifier(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

/** A DuckDB string literal. */
export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
