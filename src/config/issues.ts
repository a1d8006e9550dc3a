/**
 * Schema issues in plain words: "must be greater than 0, got 0" rather than the validation library's
 * "Too small: expected number to be >0". Pure. Works on the issue's fields, so messages do not change
 * with the library's wording.
 */
import type { z } from 'zod';

export interface DescribedIssue {
  /** Dotted path of the offending option, or null for the object as a whole. */
  field: string | null;
  /** What is wrong, without the origin: "'epochs': must be a whole number, got 2.5". */
  text: string;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<PropertyKey, unknown>)[k] : undefined), input);
}

function shown(v: unknown): string {
  // Numbers as written (JSON would turn Infinity into null), strings quoted.
  const text = typeof v === 'string' ? `'${v}'` : typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of options',
};

function requirement(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? issue.minimum : issue.maximum);
      if (issue.origin === 'array') return `must list ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return small && bound === 1 ? 'must not be empty' : `must be ${small ? 'at least' : 'at most'} ${bound} characters long`;
      if (small) return issue.inclusive ? `must be at least ${bound}` : `must be greater than ${bound}`;
      return issue.inclusive ? `must be at most ${bound}` : `must be less than ${bound}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      // invalid_format and custom issues carry the schema's own message, written for people.
      return issue.message;
  }
}

export function describeIssue(issue: z.core.$ZodIssue, input: unknown): DescribedIssue {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = path === '' ? '' : `${path}.`;
    return { field: `${where}${issue.keys[0]}`, text: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${where}${k}'`).join(', ')}` };
  }
  const value = valueAt(input, issue.path);
  const got = value === undefined || issue.code === 'custom' ? '' : `, got ${shown(value)}`;
  return { field: path === '' ? null : path, text: `${path === '' ? '' : `'${path}': `}${requirement(issue)}${got}` };
}
