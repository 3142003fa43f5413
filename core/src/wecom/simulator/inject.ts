// Failure injection: the next calls to a path fail with a chosen errcode before anything else happens (no auth, no counting).

export interface Injector {
  add(path: string, errcode: number, times?: number): void;
  /** The errcode to fail this call with, consuming one injection, or undefined. */
  take(path: string): number | undefined;
  clear(): void;
}

/** `externalcontact/get` and `cgi-bin/externalcontact/get` both mean `/cgi-bin/externalcontact/get`. */
export function apiPath(path: string): string {
  const trimmed = path.replace(/^\/+/, '');
  return trimmed.startsWith('cgi-bin/') ? `/${trimmed}` : `/cgi-bin/${trimmed}`;
}

export function createInjector(): Injector {
  const queues = new Map<string, { errcode: number; left: number }[]>();
  return {
    add(path, errcode, times = 1) {
      const key = apiPath(path);
      const queue = queues.get(key) ?? [];
      queue.push({ errcode, left: times });
      queues.set(key, queue);
    },
    take(path) {
      const queue = queues.get(path);
      const head = queue?.[0];
      if (!queue || !head) return undefined;
      head.left--;
      if (head.left <= 0) queue.shift();
      return head.errcode;
    },
    clear() {
      queues.clear();
    },
  };
}
