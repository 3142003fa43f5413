// The embedded demo configuration: one tenant and app keyed with WeCom's published sample values.
// Those values are public test vectors, never real secrets; the demo exists so `npm start` runs out of the box.

export function demoConfig(): object {
  return {
    database: 'file:./data/lianjie-demo.db',
    host: '127.0.0.1',
    port: 8080,
    tenants: [
      {
        id: 'demo',
        name: 'Demo Fruit Co.',
        corpId: 'wx5823bf96d3bd56c7',
        timezone: 'Asia/Shanghai',
        apps: [{ id: 'crm', agentId: 218, token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' }],
      },
    ],
    suites: [
      { id: 'wwdemosuite0001', token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' },
    ],
  };
}
