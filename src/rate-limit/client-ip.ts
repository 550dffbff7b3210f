/**
 * The rate-limit subject for a client address. Only `CF-Connecting-IP` counts: it
 * is set by Cloudflare's edge, while `X-Forwarded-For` is whatever the client wrote.
 * An IPv6 client usually controls a whole /64, so the /64 is the subject.
 */
export function clientSubject(connectingIp: string | undefined): string {
  if (!connectingIp) return "ip:unknown"; // local tools: one shared bucket, not an unlimited one
  const address = connectingIp.trim().toLowerCase();
  if (!address.includes(":")) return `ip:${address}`;
  const mappedV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mappedV4) return `ip:${mappedV4[1]}`;
  return `ip6:${ipv6Prefix64(address)}`;
}

/** The first four hextets of an IPv6 address, expanded (`2001:db8::1` → `2001:db8:0:0`). */
function ipv6Prefix64(address: string): string {
  const [head = "", tail] = address.split("::", 2);
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array<string>(Math.max(missing, 0)).fill("0"), ...tailParts];
  return groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":");
}
