/** Sentence pieces shared by the meta and manifest checks. */

const EXAMPLES = 3;

/** The first few items, then an ellipsis if there were more. */
export const examples = (items: readonly unknown[], total = items.length): string =>
  `${items.slice(0, EXAMPLES).join(', ')}${total > EXAMPLES ? ', …' : ''}`;

/** Counts defects and keeps the first few, so a thoroughly broken index costs no memory per defect. */
export class Examples {
  count = 0;
  readonly items: string[] = [];

  /** `describe` runs only for the items kept. */
  add(describe: () => string): void {
    if (this.items.length < EXAMPLES) this.items.push(describe());
    this.count++;
  }

  toString(): string {
    return examples(this.items, this.count);
  }
}

/** Source text cut short for a sentence. */
export const cut = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** A value as it would appear in JSON, cut short: `"12"`, `null`, `1.5`, `{"a":1…`. */
export function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'number') return String(value); // JSON has no Infinity; 1e999 parses to it
  return cut(JSON.stringify(value) ?? String(value));
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export const isPositiveInteger = (value: unknown): value is number => isCount(value) && value > 0;

/** What a parsed JSON document is, for "holds …, not an object". */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
