/**
 * The rate-limit subject for a client address: the request's `c.var.ip`, which is
 * `CF-Connecting-IP` only (src/http/app-env.ts says why). An IPv6 client usually
 * controls a whole /64, so the /64 is the subject.
 */
export function ipSubject(connectingIp: string | undefined): string {
  if (!connectingIp) return "ip:unknown"; // local tools: one shared bucket, not an unlimited one
  const address = connectingIp.trim().toLowerCase();
  if (!address.includes(":")) return `ip:${address}`;
  const mappedV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mappedV4) return `ip:${mappedV4[1]}`;
  return `ip6:${ipv6Prefix(address, 64)}`;
}

/**
 * The subjects one client answers for in the account lock: an IPv4 address alone, an
 * IPv6 address as its /64, /56 and /48. A subscriber is usually given a /48 or /56 and
 * can pick any /64 inside it, so counting the wider prefixes too makes one allocation
 * one client (SECURITY.md, "Account lock").
 */
export function ipPrefixes(connectingIp: string | undefined): string[] {
  const subject = ipSubject(connectingIp);
  if (!subject.startsWith("ip6:") || !connectingIp) return [subject];
  const address = connectingIp.trim().toLowerCase();
  return [subject, `ip6/56:${ipv6Prefix(address, 56)}`, `ip6/48:${ipv6Prefix(address, 48)}`];
}

/**
 * The first `bits` of an IPv6 address, expanded and with the bits past the prefix
 * cleared (`2001:db8:1:2ff::1`, 56 → `2001:db8:1:200`).
 */
function ipv6Prefix(address: string, bits: 48 | 56 | 64): string {
  const [head = "", tail] = address.split("::", 2);
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array<string>(Math.max(missing, 0)).fill("0"), ...tailParts];
  return groups
    .slice(0, Math.ceil(bits / 16))
    .map((group, index) => {
      const kept = Math.min(16, bits - index * 16);
      const value = Number.parseInt(group || "0", 16) & (0xffff << (16 - kept)) & 0xffff;
      return value.toString(16);
    })
    .join(":");
}
