/** The HTTP layer's settings (from the config, see httpOptions in app.ts), shared by app.ts and the route modules. */
import type { Logger } from 'pino';
import type { UploadLimits } from './multipart';

export interface HttpOptions {
  log: Logger;
  maxJsonBytes: number;
  /** session cookies (staff and citizen) are Secure when PUBLIC_BASE_URL is https */
  secureCookies: boolean;
  trustProxy: boolean;
  uploadLimits: UploadLimits;
  rateLimits: { publicPerMinute: number; submissionsPerMinute: number };
  /** portal clients' bearer tokens (issuer undefined: none accepted) and their default limit per client */
  portalClients: { issuer: string | undefined; audience: string; rateLimitPerMinute: number };
  /** demo mode: registers demo-only endpoints (e.g. marking an invoice paid) */
  demoMode?: boolean;
}
