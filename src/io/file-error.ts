/**
 * Errors of files gblend reads or writes outside a dataset (models, outputs, logs, reports): one line
 * that starts with the file, in words rather than errno codes.
 */
import { UserError } from '../core/user-error.js';

export type FileErrorCode =
  | 'OUTPUT_IS_FILE' // a folder is needed where a file is
  | 'OUTPUT_IS_DIR' // a file is needed where a folder is
  | 'OUTPUT_NOT_EMPTY' // a model folder that holds files gblend did not write
  | 'NOT_WRITABLE' // permissions, a read-only file system, a full disk...
  | 'NOT_READABLE' // a file that exists but cannot be read
  | 'NOT_FOUND';

export class FileError extends UserError {
  declare readonly code: FileErrorCode;

  constructor(code: FileErrorCode, readonly file: string, detail: string) {
    super(code, `${file}: ${detail}`);
  }
}

export function errno(e: unknown): string | null {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : null;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
};

/** A file-system error in words ("permission denied"), for the end of a one-line message. */
export function fsReason(e: unknown): string {
  const code = errno(e);
  return code === null ? String((e as Error)?.message ?? e) : (REASONS[code] ?? code);
}

/** Runs a write and turns a file-system failure into a FileError naming `file`. */
export async function writing<T>(file: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof UserError || errno(e) === null) throw e;
    throw new FileError(errno(e) === 'EISDIR' ? 'OUTPUT_IS_DIR' : 'NOT_WRITABLE', file, `cannot write ${what}: ${fsReason(e)}`);
  }
}
