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
    id: "lianjie.customer-tags",
    version: "1.0.0",
    engine: "^1",
    name: { en: "Customer tagging", zh: "\u5BA2\u6237\u6807\u7B7E" },
    description: {
      en: "Tags customers by rules: the channel code's State they came through (exactly or by prefix) decides which enterprise tags they get.",
      zh: "\u6309\u89C4\u5219\u7ED9\u5BA2\u6237\u6253\u4F01\u4E1A\u6807\u7B7E\uFF1A\u5BA2\u6237\u6765\u81EA\u7684\u6E20\u9053\u7801 State\uFF08\u5B8C\u5168\u5339\u914D\u6216\u524D\u7F00\uFF09\u51B3\u5B9A\u6253\u54EA\u4E9B\u6807\u7B7E\u3002"
    },
    vendor: "Lianjie",
    categories: ["customer-contact", "retail"],
    permissions: ["wecom.corp_tag.mark"],
    config: {
      type: "object",
      additionalProperties: false,
      properties: {
        rules: {
          description: "checked in order; every rule that matches adds its tags",
          type: "array",
          maxItems: 200,
          default: [],
          items: {
            type: "object",
            additionalProperties: false,
            required: ["tags"],
            properties: {
              state: { description: "matches this State exactly", type: "string", maxLength: 30 },
              statePrefix: { description: "matches every State that starts with this", type: "string", minLength: 1, maxLength: 30 },
              tags: { description: "enterprise tag ids (from get_corp_tag_list)", type: "array", minItems: 1, maxItems: 100, items: { type: "string", minLength: 1 } }
            }
          }
        }
      }
    },
    triggers: [],
    actions: [
      {
        id: "apply",
        name: { en: "Tag by rules", zh: "\u6309\u89C4\u5219\u6253\u6807\u7B7E" },
        input: {
          type: "object",
          additionalProperties: false,
          required: ["userId", "externalUserId"],
          properties: {
            userId: { description: "the staff member the customer added", type: "string", minLength: 1 },
            externalUserId: { type: "string", minLength: 1 },
            state: { type: ["string", "null"], maxLength: 30 }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["tags"],
          properties: { tags: { description: "the tags added (none when no rule matched)", type: "array", items: { type: "string" } } }
        }
      },
      {
        id: "add",
        name: { en: "Add tags", zh: "\u6DFB\u52A0\u6807\u7B7E" },
        input: {
          type: "object",
          additionalProperties: false,
          required: ["userId", "externalUserId", "tags"],
          properties: {
            userId: { type: "string", minLength: 1 },
            externalUserId: { type: "string", minLength: 1 },
            tags: { type: "array", minItems: 1, maxItems: 100, items: { type: "string", minLength: 1 } }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["tags"],
          properties: { tags: { type: "array", items: { type: "string" } } }
        }
      }
    ]
  };

  // src/actions/add.ts
  var add = async (input, ctx) => {
    await ctx.wecom.markTags({ userId: input.userId, externalUserId: input.externalUserId, add: input.tags });
    return { tags: input.tags };
  };

  // src/rules.ts
  function tagsFor(rules, state) {
    const tags = /* @__PURE__ */ new Set();
    for (const rule of rules) {
      const matches = rule.state !== void 0 && rule.state === state || rule.statePrefix !== void 0 && typeof state === "string" && state.startsWith(rule.statePrefix);
      if (matches) for (const tag of rule.tags) tags.add(tag);
    }
    return [...tags];
  }

  // src/actions/apply.ts
  var apply = async (input, ctx) => {
    const tags = tagsFor(ctx.config.rules ?? [], input.state);
    if (tags.length === 0) return { tags };
    await ctx.wecom.markTags({ userId: input.userId, externalUserId: input.externalUserId, add: tags });
    return { tags };
  };

  // src/index.ts
  var index_default = definePlugin(plugin_default, { actions: { apply, add } });
})();
//# sourceMappingURL=plugin.js.map
