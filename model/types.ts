/**
 * The case model shared by the server and the job workers: the applicant, the variables every
 * case process carries, the citizen-facing status, register and organisation records. Plain
 * types: nothing here imports from server/ or workers/.
 */

export interface Address {
  street: string;
  houseNumber: string;
  postalCode: string;
  town: string;
}

export interface Applicant {
  firstName: string;
  lastName: string;
  /** ISO date YYYY-MM-DD */
  dateOfBirth: string;
  email: string;
  address: Address;
  ahvNumber?: string;
}

/** Variables every case process instance carries from its start. */
export interface CaseVariables {
  reference: string;
  serviceKey: string;
  /** BFS number of the municipality chosen by the applicant */
  municipality: number;
  applicant: Applicant;
  /** the start form's fields */
  data: Record<string, unknown>;
  /**
   * The signed-in person's identity as the OpenID provider vouched for it (DESIGN.md §6); absent
   * for an anonymous submission. Register matches of `verified` services use this, never the
   * typed applicant data.
   */
  identity?: VerifiedIdentity;
  [name: string]: unknown;
}

/** Identity claims of a signed-in person, from a verified ID token or session. */
export interface VerifiedIdentity {
  firstName: string;
  lastName: string;
  /** ISO date YYYY-MM-DD */
  dateOfBirth: string;
  /** AHVN13 where the provider gives it */
  ahvNumber?: string;
  /** the provider's assurance level (`acr`), if any */
  assurance?: string | null;
}

export type CaseStatus = 'received' | 'in_progress' | 'waiting_for_applicant' | 'completed' | 'rejected' | 'withdrawn';

export interface Resident {
  id: number;
  bfsNumber: number;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  address: Address;
  /** main residence (Hauptwohnsitz) or secondary residence (Nebenwohnsitz) */
  residenceType: 'main' | 'secondary';
  /** Datensperre: the person asked that no data be released */
  dataLock: boolean;
  movedInOn: string | null;
  /** AHVN13, where the register holds it */
  ahvNumber?: string | null;
}

export interface Municipality {
  bfsNumber: number;
  name: string;
  district: string;
  postalCodes: string[];
}

/** The electronic seal of an organisation: its certificate and private key (PKCS#12). */
export interface DocumentSeal {
  p12: Buffer;
  passphrase: string;
  /** a generated self-signed demo certificate, not a seal of the organisation */
  demo: boolean;
}

export interface OrganisationInfo {
  id: string;
  kind: 'municipality' | 'canton';
  /** "Gemeinde Emmen", "Dienststelle Steuern des Kantons Luzern" */
  name: string;
  /** e.g. "Einwohnerdienste"; null when not configured */
  department: string | null;
  bfsNumber: number | null;
  /** postal address (creditor address of QR-bills); null when not configured */
  address: Address | null;
  /** account for payments (IBAN or QR-IBAN); null when not configured */
  iban: string | null;
  /** true when the IBAN is an invented demo value */
  ibanIsDemo: boolean;
}

export interface StaffContact {
  username: string;
  displayName: string;
  email: string | null;
}

/** A Lucerne municipality a postcode belongs to (Swiss Post / BFS locality table). */
export interface PostcodeMatch {
  bfsNumber: number;
  municipality: string;
  locality: string;
  /** share of the postcode's addresses in this municipality, in percent */
  sharePercent: number;
}

/**
 * A foreign address after eCH-0010 (addressInformation outside Switzerland): `country` as ISO
 * 3166-1 alpha-2, `town` required, the rest optional; the postcode is eCH-0010's foreignZipCode.
 */
export interface ForeignAddress {
  country: string;
  town: string;
  postalCode?: string;
  street?: string;
  houseNumber?: string;
}

export interface MovingPerson {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
}

/** A move reported to the resident register (job type register-move). */
export interface ReportedMove {
  /** the applicant first, then each family member moving along: every one is a person of the register */
  persons: MovingPerson[];
  /** BFS number of the municipality left; null when arriving from outside the canton */
  fromBfs: number | null;
  /** BFS number of the municipality moved to; null when leaving the canton */
  toBfs: number | null;
  newAddress: Address | null;
  movedOn: string;
  /** where the persons go when leaving `fromBfs` (RHG Art. 6 lit. r: destination municipality or country), as text */
  destination: string | null;
  /** where the persons come from when arriving from outside the canton (RHG Art. 6 lit. q); from abroad the eCH-0010 foreign address */
  origin: { text: string; foreignAddress: ForeignAddress | null } | null;
}

/** `moved_out`: the person stays in the register of the municipality left, with the date and destination */
export type MoveRecordAction = 'updated' | 'inserted' | 'moved_out' | 'none';
