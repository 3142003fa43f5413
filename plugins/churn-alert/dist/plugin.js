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
    id: "lianjie.churn-alert",
    version: "1.0.0",
    engine: "^1",
    name: { en: "Churn alert", zh: "\u5BA2\u6237\u6D41\u5931\u63D0\u9192" },
    description: {
      en: "When a customer deletes a staff member, or a staff member deletes a customer, tells the staff member and their managers by app message, with the customer's name when WeCom still gives it.",
      zh: "\u5BA2\u6237\u5220\u9664\u6210\u5458\u3001\u6216\u6210\u5458\u5220\u9664\u5BA2\u6237\u65F6\uFF0C\u4EE5\u5E94\u7528\u6D88\u606F\u901A\u77E5\u8BE5\u6210\u5458\u53CA\u5176\u4E3B\u7BA1\uFF1B\u4F01\u4E1A\u5FAE\u4FE1\u4ECD\u80FD\u67E5\u5230\u5BA2\u6237\u65F6\u9644\u4E0A\u5BA2\u6237\u540D\u79F0\u3002"
    },
    vendor: "Lianjie",
    categories: ["customer-contact", "retail"],
    permissions: ["wecom.app_message.send", "wecom.external_contact.get"],
    limits: { timeoutMs: 5e3 },
    config: {
      type: "object",
      additionalProperties: false,
      properties: {
        managers: {
          description: "userids told of every staff member's lost customers",
          type: "array",
          maxItems: 100,
          uniqueItems: true,
          default: [],
          items: { $ref: "#/$defs/userId" }
        },
        managersByStaff: {
          description: "a staff member's userid \u2192 the userids also told of that staff member's lost customers",
          type: "object",
          default: {},
          additionalProperties: { type: "array", maxItems: 100, uniqueItems: true, items: { $ref: "#/$defs/userId" } }
        },
        notifyStaff: {
          description: "when the staff member is told too: customer_deleted (only when the customer deleted them), always, never",
          enum: ["customer_deleted", "always", "never"],
          default: "customer_deleted"
        },
        includeTransfers: {
          description: "also alert when WeCom removed the customer from the staff member to reassign them to another (\u5728\u804C\u7EE7\u627F, source DELETE_BY_TRANSFER); not churn, so off by default",
          type: "boolean",
          default: false
        },
        timezone: { description: "the IANA timezone {time} is written in", type: "string", minLength: 1, maxLength: 64, default: "Asia/Shanghai" },
        templates: {
          description: "the messages; {customer} is the customer's name, or their external_userid when WeCom no longer gives the name; also {customerName} (empty when unknown), {externalUserId}, {staff} (the staff member's userid) and {time}",
          type: "object",
          additionalProperties: false,
          default: {},
          properties: {
            staffWhenCustomerDeleted: { $ref: "#/$defs/template", default: "\u5BA2\u6237\u300C{customer}\u300D\u5DF2\u4E8E {time} \u5C06\u4F60\u5220\u9664\u3002" },
            managersWhenCustomerDeleted: { $ref: "#/$defs/template", default: "\u6D41\u5931\u63D0\u9192\uFF1A\u5BA2\u6237\u300C{customer}\u300D\u4E8E {time} \u5220\u9664\u4E86\u6210\u5458 {staff}\u3002" },
            staffWhenStaffDeleted: { $ref: "#/$defs/template", default: "\u4F60\u5DF2\u4E8E {time} \u5220\u9664\u5BA2\u6237\u300C{customer}\u300D\u3002" },
            managersWhenStaffDeleted: { $ref: "#/$defs/template", default: "\u5220\u9664\u63D0\u9192\uFF1A\u6210\u5458 {staff} \u4E8E {time} \u5220\u9664\u4E86\u5BA2\u6237\u300C{customer}\u300D\u3002" }
          }
        }
      },
      $defs: {
        userId: { type: "string", minLength: 1, maxLength: 64 },
        template: { type: "string", minLength: 1, maxLength: 2e3 }
      }
    },
    triggers: [
      {
        id: "lost",
        kind: "event",
        name: { en: "A customer and a staff member parted", zh: "\u5BA2\u6237\u4E0E\u6210\u5458\u89E3\u9664\u597D\u53CB\u5173\u7CFB" },
        description: { en: "A customer deleted a staff member (del_follow_user), or a staff member deleted a customer (del_external_contact). A removal by reassignment starts nothing unless includeTransfers is on." },
        events: ["wecom.external_contact.del_follow_user", "wecom.external_contact.del"],
        output: {
          type: "object",
          additionalProperties: false,
          required: ["deletedBy", "userId", "externalUserId", "occurredAt"],
          properties: {
            deletedBy: { description: "customer: the customer deleted the staff member; staff: the staff member deleted the customer", enum: ["customer", "staff"] },
            userId: { description: "the staff member", type: "string" },
            externalUserId: { description: "the customer", type: "string" },
            occurredAt: { description: "when WeCom says it happened, ISO 8601 in UTC", type: "string" },
            source: { description: "WeCom's Source of a deletion by the staff side, such as DELETE_BY_TRANSFER", type: "string" }
          }
        }
      }
    ],
    actions: [
      {
        id: "notify",
        name: { en: "Tell the staff member and managers", zh: "\u901A\u77E5\u6210\u5458\u4E0E\u4E3B\u7BA1" },
        description: { en: "Looks the customer's name up (getExternalContact; a customer WeCom no longer gives is named by id), then sends the staff member's and the managers' messages from the tenant's app." },
        timeoutMs: 5e3,
        input: {
          type: "object",
          additionalProperties: false,
          required: ["deletedBy", "userId", "externalUserId"],
          properties: {
            deletedBy: { enum: ["customer", "staff"] },
            userId: { description: "the staff member", type: "string", minLength: 1, maxLength: 64 },
            externalUserId: { description: "the customer", type: "string", minLength: 1, maxLength: 64 },
            occurredAt: { description: "when it happened (ISO 8601); now when absent", type: "string", format: "date-time" }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["customerName", "lookup", "notified", "undelivered"],
          properties: {
            customerName: { description: "the customer's name, null when WeCom did not give it", type: ["string", "null"] },
            lookup: {
              description: "found: WeCom gave the customer; failed: the lookup failed (lookupFailure), e.g. WeCom's error for a customer no staff member has any more, or capability.denied when the install lacks wecom.external_contact.get; skipped: there was nobody to tell",
              enum: ["found", "failed", "skipped"]
            },
            lookupFailure: {
              type: "object",
              additionalProperties: false,
              required: ["code", "message"],
              properties: { code: { type: "string" }, message: { type: "string" } }
            },
            notified: { description: "the userids the messages were sent to: the staff member (when told) first, then the managers", type: "array", items: { type: "string" } },
            undelivered: { description: "the userids WeCom listed as invalid or without a licence (lower-cased, as WeCom lists them)", type: "array", items: { type: "string" } },
            skipped: { description: "why nothing was sent", enum: ["no_recipients"] }
          }
        }
      }
    ]
  };

  // src/messages.ts
  var defaults = {
    staffWhenCustomerDeleted: "\u5BA2\u6237\u300C{customer}\u300D\u5DF2\u4E8E {time} \u5C06\u4F60\u5220\u9664\u3002",
    managersWhenCustomerDeleted: "\u6D41\u5931\u63D0\u9192\uFF1A\u5BA2\u6237\u300C{customer}\u300D\u4E8E {time} \u5220\u9664\u4E86\u6210\u5458 {staff}\u3002",
    staffWhenStaffDeleted: "\u4F60\u5DF2\u4E8E {time} \u5220\u9664\u5BA2\u6237\u300C{customer}\u300D\u3002",
    managersWhenStaffDeleted: "\u5220\u9664\u63D0\u9192\uFF1A\u6210\u5458 {staff} \u4E8E {time} \u5220\u9664\u4E86\u5BA2\u6237\u300C{customer}\u300D\u3002"
  };
  function recipients(config, input) {
    const when = config.notifyStaff ?? "customer_deleted";
    const staff = when === "always" || when === "customer_deleted" && input.deletedBy === "customer" ? input.userId : null;
    const byStaff = config.managersByStaff ?? {};
    const key = Object.keys(byStaff).find((k) => k.toLowerCase() === input.userId.toLowerCase());
    const seen = /* @__PURE__ */ new Set([input.userId.toLowerCase()]);
    const managers = [];
    for (const id of [...config.managers ?? [], ...(key !== void 0 ? byStaff[key] : void 0) ?? []]) {
      if (seen.has(id.toLowerCase())) continue;
      seen.add(id.toLowerCase());
      managers.push(id);
    }
    return { staff, managers };
  }
  function texts(config, deletedBy, facts) {
    const t = { ...defaults, ...config.templates };
    const [staff, managers] = deletedBy === "customer" ? [t.staffWhenCustomerDeleted, t.managersWhenCustomerDeleted] : [t.staffWhenStaffDeleted, t.managersWhenStaffDeleted];
    return { staff: fill(staff, facts), managers: fill(managers, facts) };
  }
  function fill(template, facts) {
    const values = {
      customer: facts.customerName ?? facts.externalUserId,
      customerName: facts.customerName ?? "",
      externalUserId: facts.externalUserId,
      staff: facts.staff,
      time: facts.time
    };
    return template.replace(/\{(customer|customerName|externalUserId|staff|time)\}/g, (_, name) => values[name]).slice(0, 4e3);
  }
  function formatTime(iso, timezone) {
    const date = new Date(iso);
    try {
      const parts = new Intl.DateTimeFormat("en-GB", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(date);
      const part = (type) => parts.find((p) => p.type === type)?.value ?? "";
      return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
    } catch {
      return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
    }
  }

  // src/wecom.ts
  function listed(value) {
    return typeof value === "string" ? value.split("|").map((s) => s.trim().toLowerCase()).filter((s) => s !== "") : [];
  }

  // src/actions/notify.ts
  var notify = async (input, ctx) => {
    const wecom = ctx.wecom;
    const to = recipients(ctx.config, input);
    if (to.staff === null && to.managers.length === 0) return { customerName: null, lookup: "skipped", notified: [], undelivered: [], skipped: "no_recipients" };
    const found = await customerName(wecom, input.externalUserId);
    if (found.lookup === "failed") ctx.log.warn({ message: "the customer could not be looked up; the alert names them by id", fields: { externalUserId: input.externalUserId, code: found.lookupFailure?.code } });
    const time = formatTime(input.occurredAt ?? (/* @__PURE__ */ new Date()).toISOString(), ctx.config.timezone ?? "Asia/Shanghai");
    const text = texts(ctx.config, input.deletedBy, { customerName: found.customerName, externalUserId: input.externalUserId, staff: input.userId, time });
    const sends = [];
    if (to.staff !== null) sends.push({ toUserIds: [to.staff], text: text.staff });
    const [first, ...rest] = to.managers;
    if (first !== void 0) sends.push({ toUserIds: [first, ...rest], text: text.managers });
    const notified = [];
    const undelivered = [];
    let failure;
    for (const send of sends) {
      try {
        const answer = await wecom.sendAppMessage(send);
        notified.push(...send.toUserIds);
        undelivered.push(...listed(answer.invaliduser), ...listed(answer.unlicenseduser));
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== void 0) throw failure;
    return { ...found, notified, undelivered };
  };
  async function customerName(wecom, externalUserId) {
    try {
      const answer = await wecom.getExternalContact({ externalUserId });
      const contact = answer.external_contact;
      const name = typeof contact?.name === "string" && contact.name !== "" ? contact.name : null;
      return { customerName: name, lookup: "found" };
    } catch (error) {
      const { code, message } = error ?? {};
      return { customerName: null, lookup: "failed", lookupFailure: { code: typeof code === "string" ? code : "plugin.error", message: typeof message === "string" ? message : String(error) } };
    }
  }

  // src/triggers/lost.ts
  var byTransfer = "DELETE_BY_TRANSFER";
  var lost = (event, ctx) => {
    const { userId, externalUserId } = event.data;
    if (!userId || !externalUserId) return null;
    if (event.type === "wecom.external_contact.del_follow_user") {
      return { deletedBy: "customer", userId, externalUserId, occurredAt: event.occurredAt };
    }
    const source = typeof event.data.source === "string" && event.data.source !== "" ? event.data.source : void 0;
    if (source === byTransfer && !ctx.config.includeTransfers) return null;
    return { deletedBy: "staff", userId, externalUserId, occurredAt: event.occurredAt, ...source ? { source } : {} };
  };

  // src/index.ts
  var index_default = definePlugin(plugin_default, { actions: { notify }, triggers: { lost } });
})();
//# sourceMappingURL=plugin.js.map
