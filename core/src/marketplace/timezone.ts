// Whether a name is an IANA timezone this runtime knows: a wrong one would otherwise surface at the first schedule tick.
export function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
