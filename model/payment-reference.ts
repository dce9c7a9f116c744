/**
 * IBAN check digits and the payment references of QR-bills, derived from the case reference:
 * a QR reference (27 digits, recursive mod 10) for a QR-IBAN, an ISO 11649 creditor reference
 * (SCOR, "RF..") for an ordinary IBAN.
 */
import { calculateQRReferenceChecksum, calculateSCORReferenceChecksum, isIBANValid, isQRIBAN } from 'swissqrbill/utils';

/** ISO 13616 check digits of an IBAN for country + BBAN. */
export function ibanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.toUpperCase();
  const numeric = rearranged.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of numeric) rest = (rest * 10 + Number(ch)) % 97;
  return String(98 - rest).padStart(2, '0');
}

/** A Swiss IBAN from a 5-digit institution id and an account number (padded to 12). */
export function swissIban(institutionId: string, account: string): string {
  const bban = `${institutionId.padStart(5, '0')}${account.padStart(12, '0')}`;
  return `CH${ibanCheckDigits('CH', bban)}${bban}`;
}

export const isValidIban = (iban: string): boolean => isIBANValid(iban.replace(/\s/g, ''));
export const isQrIban = (iban: string): boolean => isQRIBAN(iban.replace(/\s/g, ''));

/** "LU-2026-000123" → 27-digit QR reference "000000000000000002026000123" + check digit. */
export function qrReference(caseReference: string): string {
  const digits = caseReference.replace(/\D/g, '').slice(-26).padStart(26, '0');
  return `${digits}${calculateQRReferenceChecksum(digits)}`;
}

/** "LU-2026-000123" → "RF..LU2026000123" (ISO 11649). */
export function creditorReference(caseReference: string): string {
  const body = caseReference
    .replace(/[^0-9A-Za-z]/g, '')
    .toUpperCase()
    .slice(0, 21);
  return `RF${calculateSCORReferenceChecksum(body)}${body}`;
}

/** The reference a QR-bill to this IBAN needs. */
export function paymentReference(iban: string, caseReference: string): string {
  return isQrIban(iban) ? qrReference(caseReference) : creditorReference(caseReference);
}
