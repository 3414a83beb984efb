export interface HostPort {
  host: string;
  port: number;
}

const HOSTNAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function isHostname(text: string): boolean {
  return HOSTNAME.test(text) || IPV4.test(text);
}

/** `host:port`, `[v6]:port`, or just `host` when a default port is given. Returns an error text on failure. */
export function parseHostPort(text: string, defaultPort?: number): HostPort | string {
  let host = text;
  let portText: string | undefined;
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
  } else {
    const colon = text.lastIndexOf(':');
    if (colon >= 0) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
    if (!isHostname(host))
      return `'${text}' is not host:port (expected a host name or IP address, such as mail.example.org:25)`;
  }
  if (portText === undefined) {
    if (defaultPort === undefined)
      return `'${text}' has no port (expected host:port, such as mail.example.org:25)`;
    return { host, port: defaultPort };
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65_535)
    return `'${text}' has an invalid port (1 to 65535)`;
  return { host, port };
}
