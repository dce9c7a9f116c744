/**
 * Who is asking (DESIGN.md §6). The HTTP layer resolves these from the citizen session cookie, a
 * portal client's bearer token and its X-Citizen-Token; domain services receive them and never
 * read identity from a request body.
 */
export interface CitizenIdentity {
  /** OpenID subject (`sub`) */
  subject: string;
  /** the provider (`iss`) that vouched for the subject */
  issuer: string;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  /** AHVN13, where the provider gives it */
  ahvNumber?: string;
  /** `acr` of the sign-in, if any */
  assurance: string | null;
}

/** A registered portal (OAuth client) calling with a verified client-credentials access token. */
export interface PortalClient {
  clientId: string;
}

/** The caller of a public route: anonymous, a signed-in person, a portal client, or a portal acting for a person. */
export interface Caller {
  citizen?: CitizenIdentity;
  client?: PortalClient;
}
