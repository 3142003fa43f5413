// Route declarations are made before there is anything to serve (the OpenAPI document, the authorisation walk's case
// names): what a handler works on is reached only when it runs.

/** An object whose members are looked up on `get()` when first used. */
export function lazy<T extends object>(get: () => T): T {
  return new Proxy({} as T, { get: (_, key) => Reflect.get(get(), key) });
}
