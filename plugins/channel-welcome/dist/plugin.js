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
    id: "lianjie.channel-welcome",
    version: "1.0.0",
    engine: "^1",
    name: { en: "Channel welcome", zh: "\u6E20\u9053\u6B22\u8FCE\u8BED" },
    description: {
      en: "Sends a new customer the welcome for the channel code they came through: text and attachments per State, through the welcome code WeCom gives for 20 seconds.",
      zh: "\u6309\u6E20\u9053\u7801 State \u7ED9\u65B0\u5BA2\u6237\u53D1\u9001\u5BF9\u5E94\u7684\u6B22\u8FCE\u8BED\uFF08\u6587\u5B57\u4E0E\u9644\u4EF6\uFF09\uFF0C\u5728\u4F01\u4E1A\u5FAE\u4FE1\u7ED9\u51FA\u7684 20 \u79D2\u5185\u4F7F\u7528\u6B22\u8FCE\u8BED code\u3002"
    },
    vendor: "Lianjie",
    categories: ["customer-contact", "retail"],
    permissions: ["wecom.welcome.send"],
    config: {
      type: "object",
      additionalProperties: false,
      properties: {
        byState: {
          description: "the welcome for each channel code State; a State matches exactly",
          type: "object",
          additionalProperties: { $ref: "#/$defs/welcome" },
          default: {}
        },
        fallback: { description: "the welcome for a State not listed (or none); without it such customers get none", $ref: "#/$defs/welcome" }
      },
      $defs: {
        welcome: {
          type: "object",
          additionalProperties: false,
          required: ["text"],
          properties: {
            text: { type: "string", minLength: 1, maxLength: 4e3 },
            attachments: {
              description: "WeCom attachments as WeCom takes them, at most 9",
              type: "array",
              maxItems: 9,
              items: { type: "object", required: ["msgtype"], properties: { msgtype: { enum: ["image", "link", "miniprogram", "video", "file"] } } }
            }
          }
        }
      }
    },
    triggers: [],
    actions: [
      {
        id: "send",
        name: { en: "Send the channel's welcome", zh: "\u53D1\u9001\u6E20\u9053\u6B22\u8FCE\u8BED" },
        description: { en: "Picks the welcome for the State and sends it with the welcome code. Without a welcome code (the customer already chatted, or an admin set a native welcome) nothing is sent." },
        timeoutMs: 2e3,
        input: {
          type: "object",
          additionalProperties: false,
          properties: {
            welcomeCode: { type: ["string", "null"], maxLength: 256 },
            state: { type: ["string", "null"], maxLength: 30 }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["sent"],
          properties: {
            sent: { type: "boolean" },
            matched: { description: 'the State whose welcome went, or "fallback"', type: "string" },
            skipped: { description: "why nothing was sent", enum: ["no_welcome_code", "no_welcome_for_state"] }
          }
        }
      }
    ]
  };

  // src/actions/send.ts
  var send = async (input, ctx) => {
    if (!input.welcomeCode) return { sent: false, skipped: "no_welcome_code" };
    const byState = ctx.config.byState ?? {};
    const state = input.state ?? "";
    const own = Object.hasOwn(byState, state) ? byState[state] : void 0;
    const welcome = own ?? ctx.config.fallback;
    if (!welcome) return { sent: false, skipped: "no_welcome_for_state" };
    await ctx.wecom.sendWelcome({ welcomeCode: input.welcomeCode, text: welcome.text, ...welcome.attachments ? { attachments: welcome.attachments } : {} });
    return { sent: true, matched: own ? state : "fallback" };
  };

  // src/index.ts
  var index_default = definePlugin(plugin_default, { actions: { send } });
})();
//# sourceMappingURL=plugin.js.map
