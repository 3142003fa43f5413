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
    id: "lianjie.keyword-reply",
    version: "1.0.0",
    engine: "^1",
    name: { en: "Keyword auto-reply", zh: "\u5173\u952E\u8BCD\u81EA\u52A8\u56DE\u590D" },
    description: {
      en: "Answers incoming text by keyword rules (exact, contains or prefix; the first rule that matches wins): messages staff send to the app are answered by an app message; WeChat customer-service messages, forwarded to a webhook by whatever pulls them with kf/sync_msg, are answered through the customer-service account.",
      zh: "\u6309\u5173\u952E\u8BCD\u89C4\u5219\uFF08\u5B8C\u5168\u5339\u914D\u3001\u5305\u542B\u6216\u524D\u7F00\uFF1B\u547D\u4E2D\u7684\u7B2C\u4E00\u6761\u89C4\u5219\u751F\u6548\uFF09\u56DE\u590D\u6536\u5230\u7684\u6587\u5B57\uFF1A\u6210\u5458\u53D1\u7ED9\u5E94\u7528\u7684\u6D88\u606F\u4EE5\u5E94\u7528\u6D88\u606F\u56DE\u590D\uFF1B\u5FAE\u4FE1\u5BA2\u670D\u6D88\u606F\u7531\u62C9\u53D6 kf/sync_msg \u7684\u670D\u52A1\u8F6C\u53D1\u5230 webhook\uFF0C\u7ECF\u5BA2\u670D\u8D26\u53F7\u56DE\u590D\u5BA2\u6237\u3002"
    },
    vendor: "Lianjie",
    categories: ["customer-service", "messaging"],
    permissions: ["wecom.app_message.send", "wecom.kf_message.send"],
    config: {
      type: "object",
      additionalProperties: false,
      properties: {
        rules: {
          description: "checked in order; the first rule one of whose keywords matches gives the reply",
          type: "array",
          maxItems: 500,
          default: [],
          items: { $ref: "#/$defs/rule" }
        },
        ignoreCase: {
          description: "compare letters without regard to case (A = a), unless a rule says otherwise",
          type: "boolean",
          default: true
        }
      },
      $defs: {
        rule: {
          type: "object",
          additionalProperties: false,
          required: ["match", "keywords", "reply"],
          properties: {
            name: { description: "a label for the rule, passed on in the trigger's output", type: "string", minLength: 1, maxLength: 100 },
            match: {
              description: "exact: the whole message (trimmed) is the keyword; contains: the keyword appears in it; prefix: the message (trimmed) starts with it",
              enum: ["exact", "contains", "prefix"]
            },
            keywords: {
              description: "any one of them matching is enough",
              type: "array",
              minItems: 1,
              maxItems: 50,
              uniqueItems: true,
              items: { type: "string", minLength: 1, maxLength: 200, pattern: "\\S" }
            },
            reply: { description: "the text to answer with", type: "string", minLength: 1, maxLength: 4e3 },
            ignoreCase: { description: "overrides the top-level ignoreCase for this rule", type: "boolean" },
            channels: {
              description: "where the rule applies: app (staff writing to the app), kf (customers of a customer-service account); both when absent",
              type: "array",
              minItems: 1,
              uniqueItems: true,
              items: { enum: ["app", "kf"] }
            }
          }
        }
      }
    },
    triggers: [
      {
        id: "message",
        kind: "event",
        name: { en: "A staff member's text to the app matches a keyword", zh: "\u6210\u5458\u53D1\u7ED9\u5E94\u7528\u7684\u6587\u5B57\u547D\u4E2D\u5173\u952E\u8BCD" },
        description: { en: "Matches the text a staff member sent to the app against the rules; starts nothing when no rule matches." },
        events: ["wecom.message.text"],
        output: {
          type: "object",
          additionalProperties: false,
          required: ["channel", "toUserId", "reply", "ruleIndex", "keyword", "message"],
          properties: {
            channel: { const: "app" },
            toUserId: { description: "the staff member who wrote: reply-app's toUserId", type: "string" },
            reply: { description: "the matching rule's reply", type: "string" },
            ruleIndex: { description: "the matching rule's position in rules, from 0", type: "integer", minimum: 0 },
            ruleName: { type: "string" },
            keyword: { description: "the keyword that matched, as configured", type: "string" },
            message: { description: "the text received", type: "string" },
            agentId: { description: "the app the message was sent to, when the callback says", type: "integer" }
          }
        }
      },
      {
        id: "kf-message",
        kind: "webhook",
        name: { en: "A customer-service message matches a keyword", zh: "\u5FAE\u4FE1\u5BA2\u670D\u6D88\u606F\u547D\u4E2D\u5173\u952E\u8BCD" },
        description: {
          en: "For a service that pulls WeChat customer-service messages with kf/sync_msg: POST each item of msg_list as it is. Text from a customer (origin 3) is matched against the rules; anything else, or no match, starts nothing."
        },
        input: {
          description: "one item of kf/sync_msg's msg_list, as WeCom returns it",
          type: "object",
          required: ["msgtype", "origin"],
          properties: {
            msgid: { type: "string", maxLength: 128 },
            open_kfid: { type: "string", maxLength: 64 },
            external_userid: { type: "string", maxLength: 64 },
            send_time: { type: "integer" },
            origin: { description: "3: sent by the customer; 4: a system event; 5: sent by a servicer", type: "integer" },
            servicer_userid: { type: "string" },
            msgtype: { type: "string" },
            text: {
              type: "object",
              properties: { content: { type: "string" }, menu_id: { type: "string" } }
            }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["channel", "toUser", "openKfId", "reply", "ruleIndex", "keyword", "message"],
          properties: {
            channel: { const: "kf" },
            toUser: { description: "the customer's external_userid: reply-kf's toUser", type: "string" },
            openKfId: { description: "the customer-service account: reply-kf's openKfId", type: "string" },
            reply: { type: "string" },
            ruleIndex: { type: "integer", minimum: 0 },
            ruleName: { type: "string" },
            keyword: { type: "string" },
            message: { type: "string" },
            msgId: { description: "the customer's message's msgid", type: "string" }
          }
        }
      }
    ],
    actions: [
      {
        id: "reply-app",
        name: { en: "Reply by app message", zh: "\u4EE5\u5E94\u7528\u6D88\u606F\u56DE\u590D" },
        description: { en: "Sends a text from the tenant's app to one staff member (message/send)." },
        timeoutMs: 2e3,
        input: {
          type: "object",
          additionalProperties: false,
          required: ["toUserId", "text"],
          properties: {
            toUserId: { description: "a staff member's userid", type: "string", minLength: 1, maxLength: 64 },
            text: { type: "string", minLength: 1, maxLength: 4e3 }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["msgId", "delivered"],
          properties: {
            msgId: { description: "WeCom's msgid, null when it gave none", type: ["string", "null"] },
            delivered: { description: "false when WeCom listed the staff member as invalid or unlicensed", type: "boolean" }
          }
        }
      },
      {
        id: "reply-kf",
        name: { en: "Reply as customer service", zh: "\u4EE5\u5FAE\u4FE1\u5BA2\u670D\u56DE\u590D" },
        description: { en: "Sends a text from a WeChat customer-service account to a customer (kf/send_msg): within 48 hours of the customer's last message, at most 5 messages." },
        timeoutMs: 2e3,
        input: {
          type: "object",
          additionalProperties: false,
          required: ["toUser", "openKfId", "text"],
          properties: {
            toUser: { description: "the customer's external_userid", type: "string", minLength: 1, maxLength: 64 },
            openKfId: { description: "the customer-service account's open_kfid", type: "string", minLength: 1, maxLength: 64 },
            text: { type: "string", minLength: 1, maxLength: 4e3 }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["msgId"],
          properties: { msgId: { description: "WeCom's msgid, null when it gave none", type: ["string", "null"] } }
        }
      }
    ]
  };

  // src/wecom.ts
  function listed(value) {
    return typeof value === "string" ? value.split("|").map((s) => s.trim().toLowerCase()).filter((s) => s !== "") : [];
  }

  // src/actions/reply-app.ts
  var replyApp = async (input, ctx) => {
    const answer = await ctx.wecom.sendAppMessage({ toUserIds: [input.toUserId], text: input.text });
    const refused = [...listed(answer.invaliduser), ...listed(answer.unlicenseduser)];
    const delivered = !refused.includes(input.toUserId.toLowerCase());
    return { msgId: typeof answer.msgid === "string" ? answer.msgid : null, delivered };
  };

  // src/actions/reply-kf.ts
  var replyKf = async (input, ctx) => {
    const answer = await ctx.wecom.sendKfMessage({ toUser: input.toUser, openKfId: input.openKfId, text: input.text });
    return { msgId: typeof answer.msgid === "string" ? answer.msgid : null };
  };

  // src/rules.ts
  function firstMatch(config, channel, text) {
    const rules = config.rules ?? [];
    const trimmed = text.trim();
    if (trimmed === "") return null;
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index];
      if (rule.channels && !rule.channels.includes(channel)) continue;
      const fold = rule.ignoreCase ?? config.ignoreCase ?? true;
      const subject = fold ? trimmed.toLowerCase() : trimmed;
      for (const keyword of rule.keywords) {
        const wanted = fold ? keyword.trim().toLowerCase() : keyword.trim();
        const hit = rule.match === "exact" ? subject === wanted : rule.match === "prefix" ? subject.startsWith(wanted) : subject.includes(wanted);
        if (hit) return { reply: rule.reply, ruleIndex: index, ...rule.name !== void 0 ? { ruleName: rule.name } : {}, keyword };
      }
    }
    return null;
  }

  // src/triggers/kf-message.ts
  var fromCustomer = 3;
  var kfMessage = (item, ctx) => {
    if (item.origin !== fromCustomer || item.msgtype !== "text") return null;
    const content = item.text?.content;
    if (typeof content !== "string" || !item.external_userid || !item.open_kfid) return null;
    const match = firstMatch(ctx.config, "kf", content);
    if (!match) return null;
    return {
      channel: "kf",
      toUser: item.external_userid,
      openKfId: item.open_kfid,
      ...match,
      message: content,
      ...item.msgid ? { msgId: item.msgid } : {}
    };
  };

  // src/triggers/message.ts
  var message = (event, ctx) => {
    const { fromUserName: from, content, agentId } = event.data;
    if (!from || typeof content !== "string") return null;
    const match = firstMatch(ctx.config, "app", content);
    if (!match) return null;
    return { channel: "app", toUserId: from, ...match, message: content, ...typeof agentId === "number" ? { agentId } : {} };
  };

  // src/index.ts
  var index_default = definePlugin(plugin_default, {
    actions: { "reply-app": replyApp, "reply-kf": replyKf },
    triggers: { message, "kf-message": kfMessage }
  });
})();
//# sourceMappingURL=plugin.js.map
