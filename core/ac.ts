import autocannon from 'autocannon';
import { signedCallback } from './src/wecom/simulator/callbacks.ts';
const keys = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const requests = Array.from({ length: 2000 }, (_, i) => { const cb = signedCallback(keys, `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${1700000000 + i}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[s]]></UserID><ExternalUserID><![CDATA[wm${i}]]></ExternalUserID></xml>`, { agentId: 218 }); return { method: 'POST' as const, path: `/wecom/callback/acme/crm?${cb.query}`, body: cb.body }; });
const r = await autocannon({ url: 'http://127.0.0.1:18555', connections: 50, duration: 10, requests });
console.log(r['2xx'] / 10, r.latency.p50, r.latency.p99);
