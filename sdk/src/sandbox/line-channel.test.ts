import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openLineChannel } from './line-channel.ts';

const sockets: Socket[] = [];
afterEach(() => sockets.splice(0).forEach((s) => s.destroy()));

async function pair(): Promise<[Socket, Socket]> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client = connect((server.address() as { port: number }).port, '127.0.0.1');
  const other = await accepted;
  server.close();
  sockets.push(client, other);
  return [client, other];
}

describe('line channel', () => {
  it('delivers messages and raw payloads in order, across chunk boundaries', async () => {
    const [a, b] = await pair();
    const received: [unknown, string | undefined][] = [];
    const done = new Promise<void>((resolve) => {
      openLineChannel(b, (message, payload) => {
        received.push([message, payload]);
        if (received.length === 1002) resolve();
      });
    });
    const sender = openLineChannel(a, () => {});
    const big = JSON.stringify({ text: 'x'.repeat(200_000), tab: 'a\tb', newline: 'c\nd' });
    sender.send(JSON.stringify({ n: 0 }), big);
    for (let n = 1; n <= 1000; n++) sender.send(JSON.stringify({ n }));
    sender.send(JSON.stringify({ n: 1001 }), '{"ok":true}');
    await done;
    expect(received[0]).toEqual([{ n: 0 }, big]);
    expect(JSON.parse(received[0]![1]!).tab).toBe('a\tb');
    expect(received.slice(1, 1001).map(([m]) => (m as { n: number }).n)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(received[1001]).toEqual([{ n: 1001 }, '{"ok":true}']);
  });

  it('stops at a line that is not JSON and reports the peer as broken instead of throwing', async () => {
    const [a, b] = await pair();
    const received: unknown[] = [];
    const broken = new Promise<string>((resolve) => openLineChannel(b, (message) => received.push(message), resolve));
    a.write('{"n":1}\n{not json}\n{"n":2}\n');
    expect(await broken).toBe('the peer sent a line that is not JSON');
    expect(received).toEqual([{ n: 1 }]);
  });
});
