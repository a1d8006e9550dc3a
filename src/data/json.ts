/**
 * A strict JSON parser for dataset.json. We do not use JSON.parse because (1) V8 often reports no
 * position ("Unexpected token '}', ... is not valid JSON"), and users need a line and column to fix a
 * hand-written manifest, and (2) JSON.parse silently keeps the last of two equal keys, which would
 * drop a modality without a word. Pure: text in, value or JsonSyntaxError out.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseJson(text: string): JsonValue {
  const p = new Parser(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  p.skipSpace();
  const value = p.value();
  p.skipSpace();
  if (p.pos < p.text.length) p.fail(`unexpected ${p.describeHere()} after the end of the JSON value`);
  return value;
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(reason: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonSyntaxError(reason, line, at - lineStart + 1);
  }

  describeHere(): string {
    if (this.pos >= this.text.length) return 'end of input';
    return `character ${JSON.stringify(this.text[this.pos])}`;
  }

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  value(): JsonValue {
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m !== null) {
      this.pos += m[0].length;
      return Number(m[0]);
    }
    return this.fail(`expected a JSON value, found ${this.describeHere()}`);
  }

  object(): JsonObject {
    const out: JsonObject = {};
    this.pos++; // '{'
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail(`expected a double-quoted key, found ${this.describeHere()}`);
      const keyAt = this.pos;
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(out, key)) this.fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail(`expected ':' after key ${JSON.stringify(key)}, found ${this.describeHere()}`);
      this.pos++;
      this.skipSpace();
      // defineProperty, not assignment: a key named "__proto__" must be data, not a prototype change.
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return out;
      if (c !== ',') this.fail(`expected ',' or '}' in object, found ${this.describeAt(this.pos - 1)}`, this.pos - 1);
      this.skipSpace();
      if (this.text[this.pos] === '}') this.fail("trailing comma before '}'");
    }
  }

  array(): JsonValue[] {
    const out: JsonValue[] = [];
    this.pos++; // '['
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return out;
      if (c !== ',') this.fail(`expected ',' or ']' in array, found ${this.describeAt(this.pos - 1)}`, this.pos - 1);
      this.skipSpace();
      if (this.text[this.pos] === ']') this.fail("trailing comma before ']'");
    }
  }

  describeAt(at: number): string {
    const saved = this.pos;
    this.pos = at;
    const d = this.describeHere();
    this.pos = saved;
    return d;
  }

  string(): string {
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string', start);
      const c = this.text[this.pos]!;
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c.charCodeAt(0) < 0x20) this.fail('raw control character in string (escape it, e.g. \\n)');
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1];
      if (e === 'u') {
        const hex = this.text.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape in string');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        this.pos += 2;
      } else {
        this.fail('bad escape in string');
      }
    }
  }
}
