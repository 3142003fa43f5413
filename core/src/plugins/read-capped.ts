// Reads a file a vendor supplied without trusting its size: refused before reading when larger than the cap.
import { open } from 'node:fs/promises';

export type CappedRead =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'missing' | 'not_a_file' | 'too_large' | 'unreadable'; size?: number; errorCode?: string };

export async function readCapped(file: string, maxBytes: number): Promise<CappedRead> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { ok: false, reason: 'missing' } : { ok: false, reason: 'unreadable', errorCode: code ?? String(error) };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { ok: false, reason: 'not_a_file' };
    if (stats.size > maxBytes) return { ok: false, reason: 'too_large', size: stats.size };
    const bytes = await handle.readFile();
    // It may have grown since stat.
    if (bytes.length > maxBytes) return { ok: false, reason: 'too_large', size: bytes.length };
    return { ok: true, bytes };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'EISDIR' ? 'not_a_file' : 'unreadable', errorCode: code ?? String(error) };
  } finally {
    await handle.close();
  }
}
