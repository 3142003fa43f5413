"use strict";
(() => {
  // ../../../sdk/src/define-plugin.ts
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
    id: "examples.greeter",
    version: "1.0.0",
    engine: "^1",
    name: { en: "Greeter", zh: "\u95EE\u5019" },
    description: { en: "Greets a customer by name and counts the visits in the install's store." },
    vendor: "Lianjie examples",
    categories: ["retail"],
    permissions: ["store"],
    config: {
      type: "object",
      additionalProperties: false,
      properties: { greeting: { type: "string", minLength: 1, default: "Hello" } }
    },
    triggers: [],
    actions: [
      {
        id: "greet",
        name: { en: "Greet", zh: "\u95EE\u5019" },
        input: {
          type: "object",
          additionalProperties: false,
          required: ["name"],
          properties: { name: { type: "string", minLength: 1, maxLength: 100 } }
        },
        output: {
          type: "object",
          required: ["text", "visits"],
          properties: { text: { type: "string" }, visits: { type: "integer", minimum: 1 } }
        },
        idempotent: false
      }
    ]
  };

  // src/actions/greet.ts
  var greet = async (input, ctx) => {
    const key = `visits:${input.name}`;
    const seen = await ctx.store.get({ key });
    const visits = typeof seen.value === "number" ? seen.value + 1 : 1;
    await ctx.store.set({ key, value: visits });
    ctx.log.info({ message: "greeted", fields: { visits } });
    return { text: `${ctx.config.greeting ?? "Hello"}, ${input.name}`, visits };
  };

  // src/index.ts
  var index_default = definePlugin(plugin_default, { actions: { greet } });
})();
//# sourceMappingURL=plugin.js.map
