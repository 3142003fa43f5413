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
    id: "lianjie.store-membership",
    version: "1.0.0",
    engine: "^1",
    name: { en: "Store membership", zh: "\u95E8\u5E97\u4F1A\u5458" },
    description: {
      en: "From a POS payment to a store's community: checks whether the customer has added one of the store's assistants, sends them the store group's invitation (by the welcome message or a mass-message task) and issues a coupon from the chain's coupon system, once per order.",
      zh: "\u4ECE\u6536\u94F6\u652F\u4ED8\u5230\u95E8\u5E97\u793E\u7FA4\uFF1A\u67E5\u8BE2\u5BA2\u6237\u662F\u5426\u5DF2\u6DFB\u52A0\u95E8\u5E97\u5BFC\u8D2D\uFF0C\u5411\u5BA2\u6237\u53D1\u9001\u95E8\u5E97\u7FA4\u7684\u5165\u7FA4\u9080\u8BF7\uFF08\u901A\u8FC7\u6B22\u8FCE\u8BED\u6216\u7FA4\u53D1\u4EFB\u52A1\uFF09\uFF0C\u5E76\u5728\u8FDE\u9501\u7684\u4F18\u60E0\u5238\u7CFB\u7EDF\u4E2D\u4E3A\u8BA2\u5355\u53D1\u5238\uFF0C\u6BCF\u5355\u4E00\u6B21\u3002"
    },
    vendor: "Lianjie",
    categories: ["customer-contact", "retail"],
    permissions: ["wecom.external_contact.get", "wecom.group_chat.get", "wecom.welcome.send", "wecom.mass_message.send", "http"],
    http: { hosts: ["coupons.example.com", "*.coupons.example.com"] },
    limits: { timeoutMs: 15e3 },
    config: {
      type: "object",
      additionalProperties: false,
      properties: {
        stores: {
          description: "the stores in the programme, by the storeId the POS sends",
          type: "object",
          propertyNames: { pattern: "^[A-Za-z0-9_-]+$", maxLength: 32 },
          additionalProperties: { $ref: "#/$defs/store" },
          default: {}
        },
        coupon: {
          description: "the chain's coupon API (its host must be one of the manifest's http.hosts); without it issue-coupon fails plugin.coupon_not_configured",
          type: "object",
          additionalProperties: false,
          required: ["url", "templateId"],
          properties: {
            url: { description: "POSTed once per order", type: "string", maxLength: 2e3, pattern: "^https://([a-z0-9-]+\\.)?coupons\\.example\\.com/" },
            token: { description: "sent as Authorization: Bearer <token>", type: "string", minLength: 1, maxLength: 4096 },
            templateId: { description: "the coupon template for a store without its own", type: "string", minLength: 1, maxLength: 64 },
            timeoutMs: { type: "integer", minimum: 1e3, maximum: 12e3, default: 8e3 }
          }
        }
      },
      $defs: {
        store: {
          type: "object",
          additionalProperties: false,
          required: ["assistants", "groupChatId", "invitation"],
          properties: {
            name: { type: "string", maxLength: 64 },
            assistants: { description: "userids of the store's assistants (\u5BFC\u8D2D), in order of preference", type: "array", minItems: 1, maxItems: 100, uniqueItems: true, items: { type: "string", minLength: 1, maxLength: 64 } },
            groupChatId: { description: "the store group's chat_id (groupchat/list)", type: "string", minLength: 1, maxLength: 64 },
            invitation: { $ref: "#/$defs/invitation" },
            couponTemplateId: { description: "this store's coupon template, in place of coupon.templateId", type: "string", minLength: 1, maxLength: 64 }
          }
        },
        invitation: {
          description: "what the customer is sent: text and the group's QR code or a link to it, as WeCom attachments",
          type: "object",
          additionalProperties: false,
          required: ["text"],
          properties: {
            text: { type: "string", minLength: 1, maxLength: 4e3 },
            attachments: {
              description: "WeCom attachments as WeCom takes them, at most 9: e.g. { msgtype: image, image: { pic_url } } with the group's QR code, or a link or mini program",
              type: "array",
              maxItems: 9,
              items: { type: "object", required: ["msgtype"], properties: { msgtype: { enum: ["image", "link", "miniprogram", "video", "file"] } } }
            }
          }
        }
      }
    },
    triggers: [
      {
        id: "pos-payment",
        kind: "webhook",
        name: { en: "POS payment", zh: "\u6536\u94F6\u652F\u4ED8" },
        description: { en: "The POS posts each paid order. A payment at a store not in the programme, or without any customer identity, starts nothing." },
        input: {
          type: "object",
          required: ["orderId", "storeId"],
          properties: {
            orderId: { type: "string", minLength: 1, maxLength: 64 },
            storeId: { type: "string", minLength: 1, maxLength: 32 },
            amountFen: { description: "the amount paid, in fen", type: "integer", minimum: 0 },
            paidAt: { type: "string", format: "date-time" },
            externalUserId: { description: "the customer's external_userid, when the POS knows it (member mini program)", type: ["string", "null"], maxLength: 64 },
            unionId: { description: "the customer's WeChat unionid", type: ["string", "null"], maxLength: 64 },
            phone: { description: "digits, with a leading + for an international number", type: ["string", "null"], minLength: 5, maxLength: 21, pattern: "^\\+?[0-9]+$" }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["orderId", "storeId", "externalUserId", "unionId", "phone"],
          properties: {
            orderId: { type: "string" },
            storeId: { type: "string" },
            amountFen: { type: "integer" },
            paidAt: { type: "string" },
            externalUserId: { type: ["string", "null"] },
            unionId: { type: ["string", "null"] },
            phone: { type: ["string", "null"] }
          }
        }
      }
    ],
    actions: [
      {
        id: "check-assistant",
        name: { en: "Has the customer added a store assistant?", zh: "\u5BA2\u6237\u662F\u5426\u5DF2\u6DFB\u52A0\u95E8\u5E97\u5BFC\u8D2D" },
        idempotent: true,
        timeoutMs: 1e4,
        input: {
          type: "object",
          additionalProperties: false,
          required: ["storeId"],
          properties: {
            storeId: { type: "string", minLength: 1, maxLength: 32 },
            externalUserId: { type: ["string", "null"], maxLength: 64 }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["added"],
          properties: {
            added: { type: "boolean" },
            assistantUserId: { description: "the store assistant who has the customer (the first to add them)", type: "string" },
            addedAt: { description: "when that assistant added the customer, RFC 3339", type: "string" },
            reason: {
              description: "why not: no external_userid to look up; not a customer of the enterprise (WeCom 84061/40096); a customer of other staff only",
              enum: ["no_external_user_id", "not_a_contact", "other_staff"]
            }
          }
        }
      },
      {
        id: "invite-to-group",
        name: { en: "Invite to the store group", zh: "\u9080\u8BF7\u52A0\u5165\u95E8\u5E97\u7FA4" },
        description: { en: "Sends the store's group invitation: with the welcome message when a welcome code is given (within WeCom's 20 seconds), else as a mass-message task the assistant confirms. WeCom has no API that puts a customer into a group." },
        timeoutMs: 1e4,
        input: {
          type: "object",
          additionalProperties: false,
          required: ["storeId", "externalUserId"],
          properties: {
            storeId: { type: "string", minLength: 1, maxLength: 32 },
            externalUserId: { type: "string", minLength: 1, maxLength: 64 },
            assistantUserId: { description: "who sends the mass message (check-assistant's answer); looked up when absent", type: ["string", "null"], maxLength: 64 },
            welcomeCode: { description: "from the add_external_contact event: the invitation goes as the welcome message", type: ["string", "null"], maxLength: 256 }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["sent", "groupChatId"],
          properties: {
            sent: { type: "boolean" },
            via: { enum: ["welcome", "mass_message"] },
            msgId: { description: "the mass-message task's msgid", type: "string" },
            skipped: {
              description: "why nothing was sent: already a member of the group; no store assistant has the customer; WeCom cannot send to them (41048 or fail_list)",
              enum: ["already_in_group", "no_store_assistant", "not_sendable"]
            },
            groupChatId: { type: "string" }
          }
        }
      },
      {
        id: "issue-coupon",
        name: { en: "Issue the order's coupon", zh: "\u4E3A\u8BA2\u5355\u53D1\u5238" },
        description: { en: "Asks the chain's coupon system for the store's coupon, with the order id as the idempotency key: the same order never gets two coupons." },
        idempotent: true,
        timeoutMs: 15e3,
        input: {
          type: "object",
          additionalProperties: false,
          required: ["orderId", "storeId"],
          properties: {
            orderId: { type: "string", minLength: 1, maxLength: 64 },
            storeId: { type: "string", minLength: 1, maxLength: 32 },
            externalUserId: { type: ["string", "null"], maxLength: 64 },
            unionId: { type: ["string", "null"], maxLength: 64 },
            phone: { type: ["string", "null"], maxLength: 21 }
          }
        },
        output: {
          type: "object",
          additionalProperties: false,
          required: ["couponId", "templateId", "repeated"],
          properties: {
            couponId: { type: "string" },
            templateId: { type: "string" },
            expiresAt: { type: "string" },
            repeated: { description: "the coupon system had already issued this order's coupon and answered it again", type: "boolean" }
          }
        }
      }
    ]
  };

  // src/stores.ts
  function refuse(code, message, retryable = false) {
    throw { code, message, retryable };
  }
  function storeOf(config, storeId) {
    const stores = config.stores ?? {};
    const store = Object.hasOwn(stores, storeId) ? stores[storeId] : void 0;
    if (!store) refuse("unknown_store", `store "${storeId}" is not in this install's stores`);
    return store;
  }
  function isWecomError(error, errcodes) {
    if (error === null || typeof error !== "object") return false;
    const { code, message } = error;
    if (code !== "wecom.api_error" || typeof message !== "string") return false;
    const match = /errcode (-?[0-9]+)/.exec(message);
    return match !== null && errcodes.includes(Number(match[1]));
  }

  // src/assistant.ts
  var notAContact = [84061, 40096];
  async function findAssistant(ctx, store, externalUserId) {
    let answer;
    try {
      answer = await ctx.wecom.getExternalContact({ externalUserId });
    } catch (error) {
      if (isWecomError(error, notAContact)) return { added: false, reason: "not_a_contact" };
      throw error;
    }
    const follows = (Array.isArray(answer.follow_user) ? answer.follow_user : []).filter((f) => typeof f.userid === "string" && store.assistants.includes(f.userid)).map((f) => ({ userid: f.userid, createtime: typeof f.createtime === "number" ? f.createtime : Number.MAX_SAFE_INTEGER })).sort((a, b) => a.createtime - b.createtime || store.assistants.indexOf(a.userid) - store.assistants.indexOf(b.userid));
    const first = follows[0];
    if (!first) return { added: false, reason: "other_staff" };
    return {
      added: true,
      assistantUserId: first.userid,
      ...first.createtime !== Number.MAX_SAFE_INTEGER ? { addedAt: new Date(first.createtime * 1e3).toISOString() } : {}
    };
  }

  // src/actions/check-assistant.ts
  var checkAssistant = async (input, ctx) => {
    const store = storeOf(ctx.config, input.storeId);
    if (!input.externalUserId) return { added: false, reason: "no_external_user_id" };
    return findAssistant(ctx, store, input.externalUserId);
  };

  // src/actions/invite-to-group.ts
  var inviteToGroup = async (input, ctx) => {
    const store = storeOf(ctx.config, input.storeId);
    const groupChatId = store.groupChatId;
    const group = (await ctx.wecom.getGroupChat({ chatId: groupChatId })).group_chat;
    if ((group?.member_list ?? []).some((m) => m.userid === input.externalUserId && m.type === 2)) return { sent: false, skipped: "already_in_group", groupChatId };
    const { text, attachments } = store.invitation;
    if (input.welcomeCode) {
      await ctx.wecom.sendWelcome({ welcomeCode: input.welcomeCode, text, ...attachments ? { attachments } : {} });
      return { sent: true, via: "welcome", groupChatId };
    }
    let sender = input.assistantUserId ?? void 0;
    if (!sender) {
      const found = await findAssistant(ctx, store, input.externalUserId);
      if (!found.added) return { sent: false, skipped: "no_store_assistant", groupChatId };
      sender = found.assistantUserId;
    }
    let answer;
    try {
      answer = await ctx.wecom.sendMassMessage({ sender, externalUserIds: [input.externalUserId], text, ...attachments ? { attachments } : {} });
    } catch (error) {
      if (isWecomError(error, [41048])) return { sent: false, skipped: "not_sendable", groupChatId };
      throw error;
    }
    const failList = Array.isArray(answer.fail_list) ? answer.fail_list : [];
    if (failList.includes(input.externalUserId)) return { sent: false, skipped: "not_sendable", groupChatId };
    return { sent: true, via: "mass_message", ...typeof answer.msgid === "string" ? { msgId: answer.msgid } : {}, groupChatId };
  };

  // src/actions/issue-coupon.ts
  var issueCoupon = async (input, ctx) => {
    const coupon = ctx.config.coupon;
    if (!coupon) refuse("coupon_not_configured", "this install has no coupon settings (config.coupon)");
    const store = storeOf(ctx.config, input.storeId);
    const customer = {
      ...input.externalUserId ? { externalUserId: input.externalUserId } : {},
      ...input.unionId ? { unionId: input.unionId } : {},
      ...input.phone ? { phone: input.phone } : {}
    };
    if (Object.keys(customer).length === 0) refuse("no_customer", `order ${input.orderId} names no customer (externalUserId, unionId or phone) to give the coupon to`);
    const templateId = store.couponTemplateId ?? coupon.templateId;
    const response = await ctx.http.fetch({
      url: coupon.url,
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": `lianjie.store-membership:${input.orderId}:${templateId}`,
        ...coupon.token ? { authorization: `Bearer ${coupon.token}` } : {}
      },
      body: JSON.stringify({ orderId: input.orderId, storeId: input.storeId, templateId, customer }),
      timeoutMs: coupon.timeoutMs ?? 8e3
    });
    const { status } = response;
    const said = summary(response.body);
    if (status === 408 || status === 409 || status === 425 || status === 429 || status >= 500) {
      refuse("coupon_unavailable", `the coupon system answered ${status}${said}; trying again is safe (same idempotency key)`, true);
    }
    if (status === 401 || status === 403) refuse("coupon_unauthorized", `the coupon system refused the credentials (${status}${said}): check config.coupon.token`);
    if (status >= 400) refuse("coupon_rejected", `the coupon system refused order ${input.orderId} (${status}${said})`);
    if (status !== 200 && status !== 201) refuse("coupon_bad_response", `the coupon system answered ${status}${said}, not 200 or 201`);
    let issued;
    try {
      issued = JSON.parse(response.body);
    } catch {
      return refuse("coupon_bad_response", `the coupon system answered ${status} without JSON${said}`);
    }
    if (issued === null || typeof issued !== "object" || typeof issued.couponId !== "string" || issued.couponId === "") {
      refuse("coupon_bad_response", `the coupon system answered ${status} without a couponId${said}`);
    }
    ctx.log.info({ message: "coupon issued", fields: { orderId: input.orderId, storeId: input.storeId, couponId: issued.couponId, repeated: issued.repeated === true } });
    return {
      couponId: issued.couponId,
      templateId,
      ...typeof issued.expiresAt === "string" ? { expiresAt: issued.expiresAt } : {},
      repeated: issued.repeated === true
    };
  };
  function summary(body) {
    const text = body.trim();
    if (text === "") return "";
    return `: ${text.length > 200 ? `${text.slice(0, 200)}\u2026` : text}`;
  }

  // src/triggers/pos-payment.ts
  var posPayment = (payment, ctx) => {
    const stores = ctx.config.stores ?? {};
    if (!Object.hasOwn(stores, payment.storeId)) {
      ctx.log.warn({ message: "payment at a store not in the programme", fields: { orderId: payment.orderId, storeId: payment.storeId } });
      return null;
    }
    const externalUserId = payment.externalUserId || null;
    const unionId = payment.unionId || null;
    const phone = payment.phone || null;
    if (!externalUserId && !unionId && !phone) return null;
    return {
      orderId: payment.orderId,
      storeId: payment.storeId,
      ...payment.amountFen !== void 0 ? { amountFen: payment.amountFen } : {},
      ...payment.paidAt !== void 0 ? { paidAt: payment.paidAt } : {},
      externalUserId,
      unionId,
      phone
    };
  };

  // src/index.ts
  var index_default = definePlugin(plugin_default, {
    actions: { "check-assistant": checkAssistant, "invite-to-group": inviteToGroup, "issue-coupon": issueCoupon },
    triggers: { "pos-payment": posPayment }
  });
})();
//# sourceMappingURL=plugin.js.map
