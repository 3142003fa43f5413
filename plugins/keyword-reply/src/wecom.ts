/** WeCom's "a|b" lists (invaliduser, unlicenseduser), lower-cased as WeCom reports them. */
export function listed(value: unknown): string[] {
  return typeof value === 'string' ? value.split('|').map((s) => s.trim().toLowerCase()).filter((s) => s !== '') : [];
}
