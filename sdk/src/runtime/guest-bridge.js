// The isolate's half of the bridge: runs before plugin code, inside the isolate, as a plain script.
// It captures every intrinsic it relies on first, so a plugin that patches JSON, Promise or
// Object.prototype corrupts only itself. It speaks to the host through two Callbacks taking and
// returning JSON strings, and hands the host three functions (its completion value).
(function (hostCall, hostSettle) {
  'use strict';
  var parse = JSON.parse;
  var stringify = JSON.stringify;
  var create = Object.create;
  var freeze = Object.freeze;
  var defineProperty = Object.defineProperty;
  var getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  var keys = Object.keys;
  var isArray = Array.isArray;
  var PromiseCtor = Promise;
  var promiseThen = Promise.prototype.then;
  var apply = Reflect.apply;
  var WeakSetCtor = WeakSet;
  var weakSetAdd = WeakSet.prototype.add;
  var weakSetHas = WeakSet.prototype.has;
  var ErrorCtor = Error;
  var StringCtor = String;
  var getPrototypeOf = Object.getPrototypeOf;
  var charCodeAt = String.prototype.charCodeAt;
  var promiseResolve = Promise.resolve;
  var slice = String.prototype.slice;
  var indexOf = String.prototype.indexOf;

  var handlers = { action: create(null), trigger: create(null), migration: create(null) };
  var registered = false;
  var pending = create(null); // capability call id → { resolve, reject }
  var waiting = 0; // entries in pending
  var hostFailures = new WeakSetCtor(); // failures the host produced: their codes pass through

  // Results are built without prototypes: an Object.prototype.toJSON the plugin defines must not
  // rewrite what the host receives.
  function failure(code, message, retryable, retryAt) {
    var f = create(null);
    f.code = code;
    f.message = message;
    f.retryable = retryable;
    if (typeof retryAt === 'string') f.retryAt = retryAt;
    var result = create(null);
    result.ok = false;
    result.failure = f;
    return result;
  }

  // Reads only own data properties of what the host sent: an inherited `refused` or `ok` planted on
  // Object.prototype must not pass for the host's word.
  function own(value, name) {
    var d = value !== null && typeof value === 'object' ? getOwnPropertyDescriptor(value, name) : undefined;
    return d ? d.value : undefined;
  }

  // A plugin's own failure code: a lowercase word (checked without RegExp, whose methods the plugin may patch).
  function isCode(text) {
    if (typeof text !== 'string' || text.length === 0 || text.length > 64) return false;
    for (var i = 0; i < text.length; i++) {
      var c = apply(charCodeAt, text, [i]);
      var lower = c >= 97 && c <= 122;
      if (!(lower || (i > 0 && ((c >= 48 && c <= 57) || c === 95)))) return false;
    }
    return true;
  }

  function register(plugin) {
    if (registered) throw new ErrorCtor('lianjie.register may be called once');
    if (plugin === null || typeof plugin !== 'object') throw new ErrorCtor('lianjie.register expects { actions, triggers, migrations }');
    // Migrations are keyed by the major they come from: the host asks for them by that number, as a string.
    var kinds = ['action', 'trigger', 'migration'];
    for (var k = 0; k < kinds.length; k++) {
      var group = plugin[kinds[k] + 's'];
      if (group === undefined) continue;
      var ids = keys(group);
      for (var i = 0; i < ids.length; i++) {
        var fn = group[ids[i]];
        if (typeof fn !== 'function') throw new ErrorCtor(kinds[k] + ' "' + ids[i] + '" is not a function');
        handlers[kinds[k]][ids[i]] = fn;
      }
    }
    registered = true;
  }

  defineProperty(globalThis, 'lianjie', { value: freeze({ register: register }), writable: false, configurable: false, enumerable: false });

  // A thrown value becomes a failure without calling anything the plugin controls (no toString,
  // no getters): only own data properties are read.
  function ownString(value, name) {
    var d = getOwnPropertyDescriptor(value, name);
    return d && typeof d.value === 'string' ? d.value : undefined;
  }
  function ownBoolean(value, name) {
    var d = getOwnPropertyDescriptor(value, name);
    return d && typeof d.value === 'boolean' ? d.value : undefined;
  }
  function clip(text) {
    return text.length > 2000 ? apply(slice, text, [0, 2000]) + '…' : text;
  }
  function toFailure(thrown) {
    try {
      if (typeof thrown === 'string') return failure('plugin.error', clip(thrown), false);
      if (thrown !== null && (typeof thrown === 'object' || typeof thrown === 'function')) {
        var code = ownString(thrown, 'code');
        var message = ownString(thrown, 'message');
        var retryable = ownBoolean(thrown, 'retryable');
        if (apply(weakSetHas, hostFailures, [thrown])) return failure(code, message, retryable === true, ownString(thrown, 'retryAt'));
        if (isCode(code)) {
          return failure('plugin.' + code, clip(message === undefined ? code : message), retryable === true);
        }
        var name = ownString(thrown, 'name');
        if (message === undefined) {
          // Error objects keep name on the prototype; read it without invoking getters either.
          var proto = getPrototypeOf(thrown);
          name = name || (proto ? ownString(proto, 'name') : undefined);
          return failure('plugin.error', (name || 'a non-Error value') + ' was thrown', false);
        }
        if (!name) {
          var p = getPrototypeOf(thrown);
          name = p ? ownString(p, 'name') : undefined;
        }
        return failure('plugin.error', clip((name ? name + ': ' : '') + message), false);
      }
      return failure('plugin.error', 'the plugin threw ' + (thrown === undefined ? 'undefined' : typeof thrown === 'symbol' ? 'a symbol' : StringCtor(thrown)), false);
    } catch (e) {
      return failure('plugin.error', 'the plugin threw a value that cannot be described', false);
    }
  }

  // Serialised here, under the caller's time limit, so a looping getter or a cycle fails inside the
  // isolate instead of hanging the host's copy. JSON semantics apply: nested functions and symbols are
  // dropped as JSON.stringify drops them, but an output that is not JSON at all is a failure.
  function serialize(output, limit) {
    var t = typeof output;
    if (t === 'function' || t === 'symbol' || t === 'undefined') {
      return failure('action.output_not_json', 'the output is ' + (t === 'undefined' ? 'undefined' : 'a ' + t) + ', which JSON cannot carry', false);
    }
    var text;
    try {
      text = stringify(output);
    } catch (e) {
      var msg = e !== null && typeof e === 'object' ? ownString(e, 'message') : undefined;
      if (msg && apply(indexOf, msg, ['BigInt']) >= 0) return failure('action.output_not_json', 'the output contains a BigInt, which JSON cannot carry', false);
      if (msg && apply(indexOf, msg, ['circular']) >= 0) return failure('action.output_not_json', 'the output contains a cycle', false);
      if (msg && apply(indexOf, msg, ['call stack']) >= 0) return failure('action.output_not_json', 'the output is nested too deeply', false);
      var f = toFailure(e);
      f.failure.message = 'serialising the output failed: ' + f.failure.message;
      return f;
    }
    if (text === undefined) return failure('action.output_not_json', 'the output has no JSON form', false);
    if (text.length > limit) {
      return failure('action.output_too_large', 'the output is ' + text.length + ' characters, over the limit of ' + limit, false);
    }
    return '{"ok":true,"output":' + text + '}';
  }
  function encode(result) {
    return typeof result === 'string' ? result : stringify(result);
  }

  function capabilityMethod(invocationId, capability, method, fireAndForget) {
    return function (args) {
      // Written out by hand around the plugin's own arguments: an Object.prototype.toJSON the plugin defined
      // can change its arguments, never whose call this is.
      var argsText = args === undefined ? '{}' : stringify(args);
      if (typeof argsText !== 'string') argsText = 'null';
      var request = '{"invocation":' + stringify(invocationId) + ',"capability":' + stringify(capability) + ',"method":' + stringify(method) +
        ',"reply":' + (fireAndForget ? 'false' : 'true') + ',"args":' + argsText + '}';
      var answer = parse(hostCall(request));
      var refused = own(answer, 'refused');
      if (refused !== undefined) {
        var refusal = freeze({ code: own(refused, 'code'), message: own(refused, 'message'), retryable: own(refused, 'retryable') === true });
        apply(weakSetAdd, hostFailures, [refusal]);
        if (fireAndForget) throw refusal;
        return PromiseCtor.reject(refusal);
      }
      if (fireAndForget) return undefined;
      return new PromiseCtor(function (resolve, reject) {
        pending[own(answer, 'callId')] = { resolve: resolve, reject: reject };
        waiting++;
      });
    };
  }

  function deniedMethod(why) {
    return function () {
      var refusal = freeze({ code: 'capability.denied', message: why, retryable: false });
      apply(weakSetAdd, hostFailures, [refusal]);
      return PromiseCtor.reject(refusal);
    };
  }

  function deniedGetter(capability, why) {
    return function () {
      var refusal = freeze({ code: 'capability.denied', message: why, retryable: false });
      apply(weakSetAdd, hostFailures, [refusal]);
      throw refusal;
    };
  }

  function buildContext(invocationId, request) {
    var ctx = { config: request.config, idempotencyKey: request.idempotencyKey, runId: request.runId };
    var granted = request.capabilities;
    var names = keys(granted);
    for (var i = 0; i < names.length; i++) {
      var surface = {};
      var methods = granted[names[i]];
      for (var j = 0; j < methods.length; j++) {
        surface[methods[j]] = capabilityMethod(invocationId, names[i], methods[j], names[i] === 'log');
      }
      // Methods of the capability the install was not granted (each needs its own permission): a coded refusal,
      // not a missing function.
      var deniedMethods = request.deniedMethods !== undefined ? own(request.deniedMethods, names[i]) : undefined;
      var deniedNamesOf = deniedMethods !== undefined ? keys(deniedMethods) : [];
      for (var m = 0; m < deniedNamesOf.length; m++) surface[deniedNamesOf[m]] = deniedMethod(deniedMethods[deniedNamesOf[m]]);
      ctx[names[i]] = freeze(surface);
    }
    var denied = request.denied;
    var deniedNames = keys(denied);
    for (var d = 0; d < deniedNames.length; d++) {
      defineProperty(ctx, deniedNames[d], { get: deniedGetter(deniedNames[d], denied[deniedNames[d]]), enumerable: false });
    }
    return freeze(ctx);
  }

  // Host → guest: start one invocation. Returns the encoded result when the handler answered
  // synchronously, or null when it returned a promise (the result then arrives through hostSettle).
  function dispatch(requestJson, inputJson) {
    var request = parse(requestJson);
    var handler = handlers[request.kind][request.handler];
    if (handler === undefined) return encode(failure('action.not_found', 'the bundle registers no ' + request.kind + ' "' + request.handler + '"', false));
    var limit = request.outputLimit;
    var value;
    try {
      value = handler(parse(inputJson), buildContext(request.id, request));
    } catch (thrown) {
      forget(request.id);
      return encode(toFailure(thrown));
    }
    var then;
    try {
      then = value !== null && (typeof value === 'object' || typeof value === 'function') ? value.then : undefined;
    } catch (thrown) {
      forget(request.id);
      return encode(toFailure(thrown));
    }
    if (typeof then !== 'function') {
      forget(request.id);
      return encode(serialize(value, limit));
    }
    var id = request.id;
    var settled = false;
    function settle(result) {
      if (settled) return;
      settled = true;
      forget(id);
      hostSettle(id, encode(result));
    }
    try {
      apply(promiseThen, apply(promiseResolve, PromiseCtor, [value]), [
        function (output) { settle(serialize(output, limit)); },
        function (thrown) { settle(toFailure(thrown)); },
      ]);
    } catch (thrown) {
      settle(toFailure(thrown));
    }
    return null;
  }

  // Calls an ended invocation left unawaited will never be answered: their waiters go, not accumulate.
  function forget(invocationId) {
    if (waiting === 0) return;
    var prefix = invocationId + ':';
    var ids = keys(pending);
    for (var i = 0; i < ids.length; i++) {
      if (apply(indexOf, ids[i], [prefix]) === 0) {
        delete pending[ids[i]];
        waiting--;
      }
    }
  }

  // Host → guest: a capability call finished. Continuations run in this call's microtask
  // checkpoint, inside the host's time limit.
  function resolve(callId, resultJson) {
    var waiter = pending[callId];
    if (waiter === undefined) return;
    delete pending[callId];
    waiting--;
    var result = parse(resultJson);
    if (own(result, 'ok') === true) {
      waiter.resolve(own(result, 'output'));
    } else {
      var hostFailure = own(result, 'failure');
      // Built without a prototype: an assignment to an object with one would run a setter the plugin defined on
      // Object.prototype, which could rewrite the failure before it is frozen and vouched for as the host's.
      var f = create(null);
      f.code = own(hostFailure, 'code');
      f.message = own(hostFailure, 'message');
      f.retryable = own(hostFailure, 'retryable') === true;
      var retryAt = own(hostFailure, 'retryAt');
      if (typeof retryAt === 'string') f.retryAt = retryAt;
      freeze(f);
      apply(weakSetAdd, hostFailures, [f]);
      waiter.reject(f);
    }
  }

  // Written out by hand: arrays and objects here would consult an Array.prototype.toJSON the plugin defined.
  function idList(group) {
    var ids = keys(group);
    var text = '[';
    for (var i = 0; i < ids.length; i++) text += (i ? ',' : '') + stringify(ids[i]);
    return text + ']';
  }
  function describe() {
    return '{"registered":' + (registered ? 'true' : 'false') + ',"actions":' + idList(handlers.action) + ',"triggers":' + idList(handlers.trigger) +
      ',"migrations":' + idList(handlers.migration) + '}';
  }

  return { dispatch: dispatch, resolve: resolve, describe: describe };
})
