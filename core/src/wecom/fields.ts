// Field-level helpers for normalisation: WeCom tag names to camelCase, and the typed coercions a shape asks for.

/**
 * How one field is typed in canonical `data`. Fields a shape does not mention keep their decoded value,
 * with object keys camelCased, so fields WeCom adds later still reach plugins.
 */
export type Coercion =
  | 'int' // "10" → 10
  | 'intOrString' // documented as an integer, but the docs' own samples use placeholders ("STRATEGY_ID")
  | 'string' // ids that look numeric but must not lose digits (MsgId, SpNo, CommentId)
  | 'intCsv' // "1,2,3" → [1, 2, 3]
  | 'stringCsv' // "a,b" → ["a", "b"]
  | 'stringItems' // <X><Item>a</Item><Item>b</Item></X> → ["a", "b"]
  | { items: Shape } // <X><Item>…</Item>…</X> → [{…}, …]
  | { list: Shape } // a repeatable element → always an array of objects
  | { object: Shape };

export type Shape = Readonly<Record<string, Coercion>>;

/** `UserID` → `userId`, `OpenKfId` → `openKfId`, `Location_X` → `locationX`, `approverstep` → `approverstep`. */
export function camelCase(tag: string): string {
  const words = tag.split(/[_\-\s]+/).flatMap((part) => part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []);
  if (words.length === 0) return tag;
  return words
    .map((word, index) => {
      const lower = word.toLowerCase();
      return index === 0 ? lower : lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join('');
}

/** Decoded fields → canonical data: keys camelCased at every depth, the shape's fields typed. */
export function applyShape(fields: Record<string, unknown>, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [tag, value] of Object.entries(fields)) {
    const coercion = shape[tag];
    const typed = coercion === undefined ? camelKeys(value) : coerce(value, coercion);
    // An empty element for a typed field (<QuitScene></QuitScene>) carries nothing; dropping it beats failing the schema.
    if (typed !== undefined) out[camelCase(tag)] = typed;
  }
  return out;
}

function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (isRecord(value)) return applyShape(value, {});
  return value;
}

function coerce(value: unknown, coercion: Coercion): unknown {
  switch (coercion) {
    case 'int':
    case 'intOrString':
      return toInt(value);
    case 'string':
      return value === null || typeof value === 'object' ? camelKeys(value) : String(value);
    case 'intCsv':
      return splitList(value).map((item) => toInt(item) ?? item);
    case 'stringCsv':
      return splitList(value).map(String);
    case 'stringItems':
      return items(value)?.map((item) => (typeof item === 'number' ? String(item) : camelKeys(item))) ?? camelKeys(value);
    default:
      if ('items' in coercion) {
        return items(value)?.map((item) => (isRecord(item) ? applyShape(item, coercion.items) : item)) ?? camelKeys(value);
      }
      if ('list' in coercion) return asArray(value).map((item) => (isRecord(item) ? applyShape(item, coercion.list) : item));
      return isRecord(value) ? applyShape(value, coercion.object) : camelKeys(value);
  }
}

/**
 * Integers arrive as strings from XML and as numbers from JSON. A value that is not an integer is kept as it came,
 * so the schema check names the field instead of the normaliser hiding it.
 */
function toInt(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return camelKeys(value);
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^-?\d+$/.test(trimmed)) {
    const number = Number(trimmed);
    if (Number.isSafeInteger(number)) return number;
  }
  return value;
}

function splitList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'number') return [value];
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * `<X><Item>a</Item></X>` decodes to `{ Item: 'a' }`, or `{ Item: [...] }` when repeated, or '' when empty.
 * Anything else (text where items were expected) is undefined, so the caller keeps it for the schema to report.
 */
function items(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value === '' || value === null || value === undefined) return [];
  if (isRecord(value)) {
    const key = Object.keys(value).find((name) => name.toLowerCase() === 'item');
    if (key !== undefined) return asArray(value[key]);
    return Object.keys(value).length === 0 ? [] : undefined;
  }
  return undefined;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Unix seconds (string or number) → ISO 8601 UTC, or undefined when the value is not a plausible timestamp. */
export function unixToIso(value: unknown): string | undefined {
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 0) return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A field's text form for keys and comparisons: strings trimmed, numbers printed, anything else undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}
