// The few Prometheus metrics the host keeps, rendered in the text exposition format without a client library.

type Labels = Record<string, string>;

function key(labels: Labels): string {
  return Object.entries(labels).map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`).join(',');
}

export class Counter {
  readonly name: string;
  readonly help: string;
  readonly values = new Map<string, number>();

  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }

  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }

  get(labels: Labels = {}): number {
    return this.values.get(key(labels)) ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ''} ${v}`);
    return lines.join('\n');
  }
}

export class Histogram {
  readonly name: string;
  readonly help: string;
  readonly buckets: number[];
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(name: string, help: string, buckets: number[]) {
    this.name = name;
    this.help = help;
    this.buckets = buckets;
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    this.buckets.forEach((le, i) => {
      if (value <= le) this.counts[i]! += 1;
    });
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket{le="${le}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export function gauge(name: string, help: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}`;
}

export interface HostMetrics {
  callbacksAccepted: Counter;
  callbacksRejected: Counter;
  eventsDecoded: Counter;
  decodeLag: Histogram;
  quotaRefused: Counter;
  /** Renders everything, with gauges read at scrape time. */
  render(gauges: { inboxDepth: number }): string;
}

export function createHostMetrics(): HostMetrics {
  const callbacksAccepted = new Counter('lianjie_callbacks_accepted_total', 'Verified callbacks durably stored and acknowledged, by route.');
  const callbacksRejected = new Counter('lianjie_callbacks_rejected_total', 'Callbacks refused, by route and reason (error code).');
  const eventsDecoded = new Counter('lianjie_inbox_decoded_total', 'Inbox rows decoded, by outcome: event, duplicate or dead.');
  const decodeLag = new Histogram('lianjie_decode_lag_seconds', 'Time from acknowledgement to decoded event.',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);
  const quotaRefused = new Counter('lianjie_contact_quota_refused_total', 'Messages to customers the contact quota refused, by tenant and window (day, week, month, quiet).');
  return {
    callbacksAccepted, callbacksRejected, eventsDecoded, decodeLag, quotaRefused,
    render: ({ inboxDepth }) => [
      callbacksAccepted.render(), callbacksRejected.render(), eventsDecoded.render(), decodeLag.render(), quotaRefused.render(),
      gauge('lianjie_inbox_depth', 'Inbox rows waiting to be decoded.', inboxDepth),
    ].join('\n') + '\n',
  };
}
