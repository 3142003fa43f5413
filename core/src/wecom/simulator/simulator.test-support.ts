// Shared helpers for the simulator's tests: a simulator on loopback with a movable clock, and JSON calls to it.
import { createWecomSimulator, type WecomSimulator, type WecomSimulatorOptions } from './server.ts';

export const corpId = 'wwsimcorp0001';
export const appSecret = 'app-secret-1000002';
export const contactSecret = 'contact-secret';
/** 2025-01-15 10:00 in China (02:00 UTC): mid-month, so month caps do not roll over by accident. */
export const start = Date.UTC(2025, 0, 15, 2, 0, 0);

export interface Running {
  sim: WecomSimulator;
  url: string;
  /** Moves the simulator clock forward. */
  advance(ms: number): void;
  get(path: string, query?: Record<string, string>): Promise<Record<string, unknown>>;
  post(path: string, query: Record<string, string>, body: unknown): Promise<Record<string, unknown>>;
  /** A fresh corp access_token for the app secret. */
  token(secret?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startSimulator(options: WecomSimulatorOptions = {}): Promise<Running> {
  let now = start;
  const sim = createWecomSimulator({
    clock: () => now,
    corps: [{ corpId, secrets: { [appSecret]: 1000002, [contactSecret]: 'contact' } }],
    ...options,
  });
  const server = await sim.listen();
  const call = async (path: string, query: Record<string, string>, init?: RequestInit) => {
    const response = await fetch(`${server.url}${path}?${new URLSearchParams(query)}`, init);
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const running: Running = {
    sim,
    url: server.url,
    advance(ms) {
      now += ms;
    },
    get: (path, query = {}) => call(path, query),
    post: (path, query, body) => call(path, query, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) }),
    async token(secret = appSecret) {
      const answer = await running.get('/cgi-bin/gettoken', { corpid: corpId, corpsecret: secret });
      if (answer.errcode !== 0) throw new Error(`gettoken: ${JSON.stringify(answer)}`);
      return answer.access_token as string;
    },
    close: () => server.close(),
  };
  return running;
}
