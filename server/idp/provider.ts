/**
 * The demo OpenID provider's configuration (oidc-provider 9): clients, scopes and claims, JWT
 * access tokens for the API, our own interaction pages. Demo and tests only.
 */
import Provider, { errors } from 'oidc-provider';
import { accountBySub, claimsOf, DEMO_ACR } from './accounts';
import type { IdpSecrets } from './keys';
import { errorPage, loggedOutPage, logoutPage } from './pages';

export interface IdpSettings {
  publicBaseUrl: string;
  demoPassword: string;
  /** secret of our own citizen sign-in client (config OIDC_CLIENT_SECRET, else DEMO_PASSWORD) */
  einwohnerportalSecret: string;
  /** secret of the back office's staff single sign-on client (config STAFF_OIDC_CLIENT_SECRET, else DEMO_PASSWORD) */
  backofficeSecret: string;
}

/**
 * The audience of the demo `zeebe` client's tokens, as Camunda Self-Managed names its gateway's
 * (a Zeebe gateway with identity authentication checks it; see test/integration/zeebe-connection.test.ts).
 */
export const ZEEBE_AUDIENCE = 'zeebe-api';
/** oidc-provider wants an absolute URI as the resource indicator; the token's `aud` is ZEEBE_AUDIENCE */
const ZEEBE_RESOURCE = 'urn:camunda:zeebe-api';

export function createProvider(settings: IdpSettings, secrets: IdpSecrets): Provider {
  const { publicBaseUrl, demoPassword } = settings;
  const issuer = `${publicBaseUrl}/idp`;
  // the audience of access tokens for our API (portal clients)
  const audience = `${publicBaseUrl}/api`;
  const issuerPath = new URL(issuer).pathname;
  const portalClient = (clientId: string) => ({
    client_id: clientId,
    client_secret: demoPassword,
    grant_types: ['client_credentials', 'authorization_code'],
    response_types: ['code'],
    // never served: tests read the code from the redirect's Location
    redirect_uris: [`${issuer}/demo-client/callback`],
  });

  return new Provider(issuer, {
    // No adapter: oidc-provider's in-memory store. Acceptable for the demo, which is one process;
    // a restart forgets sessions, codes and tokens in flight (signed tokens stay verifiable).
    clients: [
      {
        client_id: 'einwohnerportal',
        client_secret: settings.einwohnerportalSecret,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${publicBaseUrl}/api/v1/auth/callback`],
      },
      portalClient('portal-demo'),
      portalClient('portal-other'),
      {
        // a Zeebe client (the server itself, against a gateway with OAuth): Camunda's clients send
        // their secret in the form body and ask for an `audience` instead of a `resource`
        client_id: 'zeebe',
        client_secret: demoPassword,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        // staff single sign-on (issue 17, item 3): a confidential client of the back office
        client_id: 'backoffice',
        client_secret: settings.backofficeSecret,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${publicBaseUrl}/api/auth/sso/callback`],
      },
    ],
    jwks: secrets.jwks,
    cookies: { keys: secrets.cookieKeys },
    acrValues: [DEMO_ACR],
    scopes: ['openid', 'offline_access', 'submissions'],
    claims: {
      auth_time: null,
      sid: null,
      iss: null,
      // acr with every ID token, not only when asked for with acr_values: it says how sure the sign-in is
      openid: ['sub', 'acr'],
      profile: ['given_name', 'family_name', 'name', 'birthdate', 'preferred_username'],
      birthdate: ['birthdate'],
      email: ['email', 'email_verified'],
      ahv: ['ahvn13'],
      staff: ['preferred_username', 'name', 'email', 'roles', 'groups', 'organisations'],
    },
    // the claims of the granted scopes go into the ID token too: portals pass a person's ID token
    // to our API (X-Citizen-Token), and our own sign-in reads the claims from it
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accountBySub(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => claimsOf(account) };
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${issuerPath}/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { type: string; body: unknown }, form: string) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: async (ctx: { type: string; body: unknown }) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage();
        },
      },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // only client-credentials tokens are for our API; sign-ins keep the userinfo audience
        // Camunda's clients ask with `audience`, which oidc-provider does not read at the token
        // endpoint: the zeebe client's tokens are always for the gateway
        defaultResource: async (ctx: { oidc: { params?: { grant_type?: string } } }, client: { clientId: string }, oneOf?: string) =>
          oneOf ?? (ctx.oidc.params?.grant_type === 'client_credentials' ? (client.clientId === 'zeebe' ? ZEEBE_RESOURCE : audience) : undefined),
        getResourceServerInfo: async (_ctx: unknown, indicator: string, client: { clientId: string }) => {
          if (indicator === ZEEBE_RESOURCE && client.clientId === 'zeebe') return { scope: '', audience: ZEEBE_AUDIENCE, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
          if (indicator !== audience || client.clientId === 'zeebe') throw new errors.InvalidTarget!();
          return { scope: 'submissions', audience, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
        useGrantedResource: async () => true,
      },
    },
    async renderError(ctx: { type: string; body: unknown; status: number }, out: Record<string, unknown>) {
      ctx.type = 'html';
      ctx.body = errorPage(ctx.status, String(out.error_description ?? out.error ?? ''));
    },
  });
}
