"use strict";
(() => {
  // ../../sdk/src/define-plugin.ts
  function definePlugin(manifest, handlers) {
    const triggers = handlers.triggers ?? {};
    const migrations = handlers.migrations ?? {};
    const problems = [
      ...mismatches("action", manifest.actions.map((a) => a.id), handlers.actions, "action of that id"),
      ...mismatches("trigger", manifest.triggers.map((t) => t.id), triggers, "trigger of that id"),
      ...mismatches("migration", (manifest.configMigrations ?? []).map((m) => String(m.from)), migrations, "configMigrations entry from that major")
    ];
    if (problems.length > 0) throw new Error(`${manifest.id}: ${problems.join("; ")}`);
    const plugin = { manifest, actions: handlers.actions, triggers, migrations };
    const sandbox = globalThis.lianjie;
    if (sandbox) sandbox.register({ actions: plugin.actions, triggers: plugin.triggers, migrations: plugin.migrations });
    return plugin;
  }
  function mismatches(kind, ids, handlers, entry) {
    const given = Object.keys(handlers);
    return [
      ...ids.filter((id) => !given.includes(id)).map((id) => `${kind} "${id}" in plugin.json has no handler`),
      ...given.filter((id) => !ids.includes(id)).map((id) => `${kind} handler "${id}" has no ${entry} in plugin.json`),
      ...given.filter((id) => typeof handlers[id] !== "function").map((id) => `${kind} handler "${id}" is not a function`)
    ];
  }

  // plugin.json
  var plugin_default = {
    $schema: "../../schemas/plugin-manifest.schema.json",
    id: "lianjie.birthday-reminders",
    version: "1.0.0",
    engine: "^1",
    name: { en: "Birthday and anniversary reminders", zh: "\u751F\u65E5\u4E0E\u7EAA\u5FF5\u65E5\u63D0\u9192" },
    description: {
      en: "Remembers customers' birthdays and anniversaries with the staff member responsible, finds every morning the occasions due today (and a configurable number of days ahead) in the tenant's timezone, and sends each staff member one app message listing their customers.",
      zh: "\u8BB0\u5F55\u5BA2\u6237\u7684\u751F\u65E5\u4E0E\u7EAA\u5FF5\u65E5\u53CA\u8D1F\u8D23\u7684\u5458\u5DE5\uFF0C\u6BCF\u5929\u6309\u4F01\u4E1A\u65F6\u533A\u627E\u51FA\u5F53\u5929\uFF08\u4EE5\u53CA\u53EF\u914D\u7F6E\u7684\u63D0\u524D\u5929\u6570\uFF09\u5230\u671F\u7684\u7EAA\u5FF5\u65E5\uFF0C\u5E76\u7ED9\u6BCF\u4F4D\u5458\u5DE5\u53D1\u4E00\u6761\u5E94\u7528\u6D88\u606F\uFF0C\u5217\u51FA\u5176\u8D1F\u8D23\u7684\u5BA2\u6237\u3002"
    },
    vendor: "Lianjie",
    categories: ["customer-contact", "retail"],
    permissions: ["store", "wecom.app_message.send"],
    limits: { timeoutMs: 3e4, cpuMs: 1e3 },
    config: {
      type: "object",
      additionalProperties: false,
      properties: {
        daysAhead: {
          description: "also remind this many days before the occasion (0: only on the day)",
          type: "integer",
          minimum: 0,
          maximum: 60,
          default: 0
        },
        remindOnTheDay: {
          description: "remind on the day itself as well as daysAhead days before",
          type: "boolean",
          default: true
        },
        leapDay: {
          description: "when an occasion remembered as 02-29 falls in a year without 29 February: on 02-28 (default) or on 03-01",
          enum: ["02-28", "03-01"],
          default: "02-28"
        },
        language: {
          description: "the language of the staff messages",
          enum: ["zh", "en"],
          default: "zh"
        }
      }
    },
    actions: [
      {
        id: "remember",
        name: { en: "Remember a customer's dates", zh: "\u8BB0\u5F55\u5BA2\u6237\u7684\u7EAA\u5FF5\u65E5" },
        description: { en: "Stores the customer's birthday and anniversaries and the staff member responsible, replacing what was remembered for that customer before." },
        idempotent: true,
        timeoutMs: 1e4,
        input: {
          type: "object",
          additionalProperties: false,
          required: ["customerId", "staffUserId"],
          properties: {
            customerId: { description: "the customer's external_userid (or the chain's member id)", type: "string", minLength: 1, maxLength: 64 },
            name: { description: "how the staff message names the customer (default: the customerId)", type: ["string", "null"], maxLength: 64 },
            staffUserId: { description: "the WeCom userid of the staff member responsible", type: "string", minLength: 1, maxLength: 64 },
            birthday: { description: "MM-DD", type: ["string", "null"], pattern: "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$" },
            anniversaries: {
              description: "null or absent: none",
              type: ["array", "null"],
              maxItems: 10,
              items: {
                type: "object",
                additionalProperties: false,
                required: ["label", "date"],
                properties: {
                  label: { description: "what is celebrated, e.g. \u7ED3\u5A5A\u7EAA\u5FF5\u65E5", type: "string", minLength: 1, maxLength: 30 },
                  date: { description: "MM-DD", type: "string", pattern: "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$" },
                  year: { description: 'the year it began, for "10th anniversary"', type: "integer", minimum: 1900, maximum: 2100 }
                }
              }
            }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["customerId", "dates", "replaced"],
          properties: {
            customerId: { type: "string" },
            dates: { description: "the MM-DD days the customer is now filed under", type: "array", items: { type: "string" } },
            replaced: { description: "true when the customer had been remembered before", type: "boolean" }
          }
        }
      },
      {
        id: "forget",
        name: { en: "Forget a customer", zh: "\u5220\u9664\u5BA2\u6237\u7684\u7EAA\u5FF5\u65E5" },
        description: { en: "Removes everything remembered for the customer (for a customer who asks, or leaves)." },
        idempotent: true,
        timeoutMs: 1e4,
        input: {
          type: "object",
          additionalProperties: false,
          required: ["customerId"],
          properties: { customerId: { type: "string", minLength: 1, maxLength: 64 } }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["forgotten"],
          properties: { forgotten: { description: "false when nothing was remembered for the customer", type: "boolean" } }
        }
      },
      {
        id: "notify-staff",
        name: { en: "Notify staff", zh: "\u901A\u77E5\u5458\u5DE5" },
        description: { en: "Sends each staff member one app message listing their customers' occasions (the due-today trigger's reminders)." },
        timeoutMs: 3e4,
        input: {
          type: "object",
          additionalProperties: false,
          required: ["reminders"],
          properties: {
            date: { description: "the day the reminders are for, YYYY-MM-DD, shown in the heading", type: ["string", "null"], pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
            reminders: { type: "array", maxItems: 5e3, items: { $ref: "#/$defs/reminder" } }
          },
          $defs: {
            reminder: {
              type: "object",
              additionalProperties: false,
              required: ["customerId", "staffUserId", "occasion", "date", "on", "daysUntil"],
              properties: {
                customerId: { type: "string", minLength: 1 },
                name: { type: ["string", "null"] },
                staffUserId: { type: "string", minLength: 1, maxLength: 64 },
                occasion: { enum: ["birthday", "anniversary"] },
                label: { type: "string" },
                date: { type: "string" },
                on: { type: "string" },
                daysUntil: { type: "integer", minimum: 0 },
                years: { type: "integer" }
              }
            }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["messages", "staff", "failed"],
          properties: {
            messages: { description: "app messages sent", type: "integer", minimum: 0 },
            staff: {
              description: "who was sent a message, with how many of their customers it listed",
              type: "array",
              items: {
                type: "object",
                additionalProperties: false,
                required: ["staffUserId", "customers"],
                properties: { staffUserId: { type: "string" }, customers: { type: "integer", minimum: 0 } }
              }
            },
            failed: {
              description: "staff members WeCom refused to message (e.g. one who left), with the failure; retryable failures fail the step instead",
              type: "array",
              items: {
                type: "object",
                additionalProperties: false,
                required: ["staffUserId", "code", "message"],
                properties: { staffUserId: { type: "string" }, code: { type: "string" }, message: { type: "string" } }
              }
            }
          }
        }
      }
    ],
    triggers: [
      {
        id: "due-today",
        kind: "schedule",
        name: { en: "Occasions due today", zh: "\u4ECA\u65E5\u5230\u671F\u7684\u7EAA\u5FF5\u65E5" },
        description: { en: "Every day at 09:00 in the tenant's timezone: the occasions falling on that day (and daysAhead days later), or nothing when there are none." },
        cron: "0 9 * * *",
        output: {
          type: "object",
          additionalProperties: false,
          required: ["date", "timezone", "reminders"],
          properties: {
            date: { description: "the tick's day in the tenant's timezone, YYYY-MM-DD", type: "string" },
            timezone: { type: "string" },
            reminders: { type: "array", items: { $ref: "#/$defs/dueReminder" } }
          },
          $defs: {
            dueReminder: {
              type: "object",
              additionalProperties: false,
              required: ["customerId", "staffUserId", "occasion", "date", "on", "daysUntil"],
              properties: {
                customerId: { type: "string" },
                name: { type: ["string", "null"] },
                staffUserId: { type: "string" },
                occasion: { enum: ["birthday", "anniversary"] },
                label: { description: "the anniversary's label", type: "string" },
                date: { description: "MM-DD as remembered", type: "string" },
                on: { description: "the day it is celebrated this time, YYYY-MM-DD (02-29 moves to 02-28 or 03-01 outside leap years)", type: "string" },
                daysUntil: { description: "0 on the day, daysAhead before it", type: "integer", minimum: 0 },
                years: { description: "how many years, for an anniversary with a year", type: "integer" }
              }
            }
          }
        }
      }
    ]
  };

  // src/records.ts
  var dayKey = (md) => `day:${md}`;
  function bucketKey(customerId) {
    let h = 2166136261;
    for (let i = 0; i < customerId.length; i++) {
      h ^= customerId.charCodeAt(i);
      h = Math.imul(h, 16777619) >>> 0;
    }
    return `customers:${(h & 63).toString(16).padStart(2, "0")}`;
  }
  async function readDay(ctx, md) {
    const got = await ctx.store.get({ key: dayKey(md) });
    return got.found && Array.isArray(got.value) ? got.value : [];
  }
  async function writeOrDelete(ctx, key, value, empty) {
    if (empty) await ctx.store.delete({ key });
    else await ctx.store.set({ key, value });
  }
  async function readBucket(ctx, key) {
    const got = await ctx.store.get({ key });
    const value = got.found && got.value !== null && typeof got.value === "object" ? got.value : {};
    return new Map(Object.entries(value));
  }
  async function replaceCustomer(ctx, customerId, entries) {
    const bucket = bucketKey(customerId);
    const customers = await readBucket(ctx, bucket);
    const before = customers.get(customerId);
    const after = [...new Set(entries.map((e) => e.md))].sort();
    for (const md of [.../* @__PURE__ */ new Set([...before ?? [], ...after])].sort()) {
      const kept = (await readDay(ctx, md)).filter((e) => e.customerId !== customerId);
      const added = entries.filter((e) => e.md === md).map((e) => e.entry);
      const day = [...kept, ...added];
      await writeOrDelete(ctx, dayKey(md), day, day.length === 0);
    }
    if (after.length > 0) customers.set(customerId, after);
    else customers.delete(customerId);
    await writeOrDelete(ctx, bucket, Object.fromEntries(customers), customers.size === 0);
    return before;
  }

  // src/actions/forget.ts
  var forget = async (input, ctx) => {
    const before = await replaceCustomer(ctx, input.customerId, []);
    return { forgotten: before !== void 0 };
  };

  // src/message.ts
  var maxBytes = 2048;
  var words = {
    zh: {
      heading: (date) => date ? `\u5BA2\u6237\u7EAA\u5FF5\u65E5\u63D0\u9192\uFF08${date}\uFF09` : "\u5BA2\u6237\u7EAA\u5FF5\u65E5\u63D0\u9192",
      birthday: "\u751F\u65E5",
      years: (n) => ` ${n} \u5468\u5E74`,
      today: "\u4ECA\u5929",
      inDays: (n, on) => `${n} \u5929\u540E\uFF08${on}\uFF09`,
      remembered: (md) => `\uFF08\u767B\u8BB0\u65E5\u671F ${md}\uFF09`,
      more: (n) => `\u2026\u2026\u53E6\u6709 ${n} \u6761`,
      sep: "\uFF1A",
      comma: "\uFF0C"
    },
    en: {
      heading: (date) => date ? `Customer occasions (${date})` : "Customer occasions",
      birthday: "birthday",
      years: (n) => ` (${n} years)`,
      today: "today",
      inDays: (n, on) => `in ${n} days (${on})`,
      remembered: (md) => ` (remembered as ${md})`,
      more: (n) => `\u2026 and ${n} more`,
      sep: ": ",
      comma: ", "
    }
  };
  function utf8Bytes(text) {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) n += 1;
      else if (c < 2048) n += 2;
      else if (c >= 55296 && c <= 56319 && i + 1 < text.length) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }
  function line(r, language) {
    const w = words[language];
    const who = r.name || r.customerId;
    const what = r.occasion === "birthday" ? w.birthday : `${r.label ?? ""}${r.years !== void 0 ? w.years(r.years) : ""}`;
    const when = r.daysUntil === 0 ? w.today : w.inDays(r.daysUntil, r.on);
    const moved = r.on.slice(5) !== r.date ? w.remembered(r.date) : "";
    return `\xB7 ${who}${w.sep}${what}${moved}${w.comma}${when}`;
  }
  function compose(reminders, date, language) {
    const w = words[language];
    const lines = [w.heading(date)];
    let bytes = utf8Bytes(lines[0]);
    for (let i = 0; i < reminders.length; i++) {
      const next = line(reminders[i], language);
      const rest = reminders.length - i - 1;
      const reserve = rest > 0 ? 1 + utf8Bytes(w.more(reminders.length)) : 0;
      if (bytes + 1 + utf8Bytes(next) + reserve > maxBytes) {
        lines.push(w.more(reminders.length - i));
        break;
      }
      lines.push(next);
      bytes += 1 + utf8Bytes(next);
    }
    return lines.join("\n");
  }

  // src/actions/notify-staff.ts
  var batch = 8;
  var isFailure = (e) => e !== null && typeof e === "object" && typeof e.code === "string";
  var notifyStaff = async (input, ctx) => {
    const byStaff = /* @__PURE__ */ new Map();
    for (const r of input.reminders) byStaff.set(r.staffUserId, [...byStaff.get(r.staffUserId) ?? [], r]);
    const staffIds = [...byStaff.keys()].sort();
    const out = { messages: 0, staff: [], failed: [] };
    if (staffIds.length === 0) return out;
    const language = ctx.config.language ?? "zh";
    const wecom = ctx.wecom;
    let retryLater;
    for (let i = 0; i < staffIds.length; i += batch) {
      const ids = staffIds.slice(i, i + batch);
      const results = await Promise.allSettled(ids.map((id) => wecom.sendAppMessage({ toUserIds: [id], text: compose(byStaff.get(id), input.date ?? void 0, language) })));
      results.forEach((result, j) => {
        const staffUserId = ids[j];
        if (result.status === "fulfilled") {
          out.messages++;
          out.staff.push({ staffUserId, customers: new Set(byStaff.get(staffUserId).map((r) => r.customerId)).size });
          return;
        }
        const error = result.reason;
        if (!isFailure(error)) throw error;
        if (error.retryable === true) retryLater ??= error;
        else out.failed.push({ staffUserId, code: error.code, message: error.message });
      });
    }
    if (retryLater) throw retryLater;
    for (const f of out.failed) ctx.log.warn({ message: "staff member not messaged", fields: { ...f } });
    return out;
  };

  // src/dates.ts
  var two = (n) => n < 10 ? `0${n}` : String(n);
  var monthDay = (d) => `${two(d.month)}-${two(d.day)}`;
  var isoDay = (d) => `${String(d.year).padStart(4, "0")}-${monthDay(d)}`;
  var isLeapYear = (year) => year % 4 === 0 && year % 100 !== 0 || year % 400 === 0;
  var monthLengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  function isCalendarMonthDay(text) {
    const month = Number(text.slice(0, 2));
    const day = Number(text.slice(3, 5));
    return month >= 1 && month <= 12 && day >= 1 && day <= monthLengths[month - 1];
  }
  function addDays(d, n) {
    const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
    return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
  }
  function refuse(code, message) {
    throw { code, message };
  }
  function dayIn(tick, timezone) {
    const instant = new Date(tick);
    if (Number.isNaN(instant.getTime())) refuse("invalid_tick", `the tick "${tick}" is not a timestamp`);
    let parts;
    try {
      parts = new Intl.DateTimeFormat("en-US", { timeZone: timezone, year: "numeric", month: "numeric", day: "numeric" }).formatToParts(instant);
    } catch {
      return refuse("invalid_timezone", `"${timezone}" is not an IANA timezone this host knows`);
    }
    const field = (type) => Number(parts.find((p) => p.type === type)?.value);
    const day = { year: field("year"), month: field("month"), day: field("day") };
    if (![day.year, day.month, day.day].every(Number.isInteger)) refuse("invalid_timezone", `could not read the day of ${tick} in "${timezone}"`);
    return day;
  }

  // src/actions/remember.ts
  var remember = async (input, ctx) => {
    const base = { customerId: input.customerId, staffUserId: input.staffUserId, ...input.name ? { name: input.name } : {} };
    const entries = [];
    if (input.birthday) entries.push({ md: input.birthday, entry: { ...base, occasion: "birthday" } });
    for (const a of input.anniversaries ?? []) {
      entries.push({ md: a.date, entry: { ...base, occasion: "anniversary", label: a.label, ...a.year !== void 0 ? { year: a.year } : {} } });
    }
    if (entries.length === 0) refuse("nothing_to_remember", "give a birthday or at least one anniversary (use forget to remove a customer)");
    const impossible = entries.find((e) => !isCalendarMonthDay(e.md));
    if (impossible) refuse("invalid_date", `${impossible.md} is not a day of the year`);
    const before = await replaceCustomer(ctx, input.customerId, entries);
    return { customerId: input.customerId, dates: [...new Set(entries.map((e) => e.md))].sort(), replaced: before !== void 0 };
  };

  // src/triggers/due-today.ts
  var dueToday = async (input, ctx) => {
    const today = dayIn(input.tick, input.timezone);
    const daysAhead = ctx.config.daysAhead ?? 0;
    const offsets = [.../* @__PURE__ */ new Set([...ctx.config.remindOnTheDay === false ? [] : [0], ...daysAhead > 0 ? [daysAhead] : []])];
    const reminders = [];
    for (const offset of offsets) {
      const target = addDays(today, offset);
      for (const md of daysFallingOn(target, ctx.config.leapDay ?? "02-28")) {
        for (const entry of await readDay(ctx, md)) {
          const years = entry.year !== void 0 && target.year > entry.year ? target.year - entry.year : void 0;
          reminders.push({
            customerId: entry.customerId,
            ...entry.name ? { name: entry.name } : {},
            staffUserId: entry.staffUserId,
            occasion: entry.occasion,
            ...entry.label !== void 0 ? { label: entry.label } : {},
            date: md,
            on: isoDay(target),
            daysUntil: offset,
            ...years !== void 0 ? { years } : {}
          });
        }
      }
    }
    if (reminders.length === 0) return null;
    reminders.sort((a, b) => a.daysUntil - b.daysUntil || cmp(a.staffUserId, b.staffUserId) || cmp(a.customerId, b.customerId) || cmp(a.occasion, b.occasion) || cmp(a.label ?? "", b.label ?? ""));
    return { date: isoDay(today), timezone: input.timezone, reminders };
  };
  function daysFallingOn(d, leapDay) {
    const md = monthDay(d);
    return !isLeapYear(d.year) && md === leapDay ? [md, "02-29"] : [md];
  }
  var cmp = (a, b) => a < b ? -1 : a > b ? 1 : 0;

  // src/index.ts
  var index_default = definePlugin(plugin_default, {
    actions: { remember, forget, "notify-staff": notifyStaff },
    triggers: { "due-today": dueToday }
  });
})();
//# sourceMappingURL=plugin.js.map
