/**
 * The dashboard's guards, each a small pure function the HTTP layer applies to every request:
 * - a token, required when the server listens beyond the loopback (--host): 24 random bytes printed
 *   once, compared in constant time, then kept by the browser as an HttpOnly, SameSite=Strict cookie
 *   named after the port (browsers share cookies across the ports of a host, so two dashboards with one
 *   name overwrote each other's token and each answered 401 to the other's printed URL);
 * - the Host header on a loopback server must name the loopback (a DNS-rebinding page cannot reach it);
 * - a request from another origin is refused (Origin, Sec-Fetch-Site), the event stream included, and
 *   no response ever carries Access-Control-Allow-Origin: CORS stays closed;
 * - request paths are plain names (no dot segments, escapes, backslashes or NUL): everything served is
 *   looked up by exact name in tables built at start, never joined to a path; a logged image or clip is
 *   named by (run key, tag, index) and read at the place its run's index holds, never at one a client
 *   gave, and served only as an image or audio type (samples.ts);
 * - images and audio come from the server itself (img-src, media-src 'self'), nothing from elsewhere.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The token cookie's name for the dashboard on `port`. */
export function tokenCookie(port: number): string {
  return `nashboard_token_${port}`;
}

export function createToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Constant-time equality: both sides are hashed first, so lengths leak nothing either. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * The token a request carries: Authorization: Bearer, then ?token= (the printed URL), then this port's
 * cookie. The URL wins over the cookie: a cookie left by an earlier dashboard on the same port (a
 * restarted `watch` has a new token) must not make its freshly printed URL answer 401.
 */
export function presentedToken(
  req: IncomingMessage,
  query: URLSearchParams,
  cookieName: string,
): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim();
  const fromUrl = query.get("token");
  if (fromUrl !== null) return fromUrl;
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === cookieName) return rest.join("=");
  }
  return undefined;
}

export function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Host header values a loopback server answers to. */
export function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** Why a request from a browser is refused as cross-origin, or undefined when it is not. */
export function crossOrigin(req: IncomingMessage): string | undefined {
  const site = req.headers["sec-fetch-site"];
  if (site === "cross-site" || site === "same-site") return `Sec-Fetch-Site: ${site}`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) return `Origin: ${origin}`;
  return undefined;
}

/** A request path the server can look up: "/", "/web/main.js", "/api/runs/r0/columns". */
export function safePath(raw: string): string | undefined {
  const q = raw.indexOf("?");
  const path = q < 0 ? raw : raw.slice(0, q);
  if (path.length > 200 || !path.startsWith("/")) return undefined;
  if (!/^[A-Za-z0-9_./-]*$/.test(path)) return undefined; // no %, \, NUL, spaces
  if (path.split("/").some((seg) => seg === ".." || seg === ".")) return undefined;
  if (path.includes("//")) return undefined;
  return path;
}

/** The headers every response carries. */
export function securityHeaders(scriptHashes: string[]): Record<string, string> {
  const scripts = ["'self'", ...scriptHashes.map((h) => `'sha256-${h}'`)].join(" ");
  return {
    "Content-Security-Policy":
      `default-src 'none'; script-src ${scripts}; style-src 'self'; img-src 'self' data:; media-src 'self'; ` +
      "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
  };
}
