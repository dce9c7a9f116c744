/**
 * What this browser tab remembers about anonymous submissions: the receipt (for the receipt page)
 * and the access token (for the status page). sessionStorage: gone when the tab closes, never
 * sent to the server, unlike a query string.
 */
import type { Receipt } from '../api/types';

export interface StoredReceipt extends Receipt {
  serviceName: string;
}

const tokenKey = (ref: string) => `lu_token:${ref}`;
const receiptKey = (ref: string) => `lu_receipt:${ref}`;

function get(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function set(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    /* storage disabled: the link with the fragment still works */
  }
}

export const saveToken = (ref: string, token: string) => set(tokenKey(ref), token);
export const readToken = (ref: string): string | undefined => get(tokenKey(ref)) ?? undefined;

export function saveReceipt(receipt: StoredReceipt): void {
  set(receiptKey(receipt.reference), JSON.stringify(receipt));
  saveToken(receipt.reference, receipt.accessToken);
}

export function readReceipt(ref: string): StoredReceipt | undefined {
  const raw = get(receiptKey(ref));
  return raw ? (JSON.parse(raw) as StoredReceipt) : undefined;
}

/** The status page's path with the token in the fragment (browsers never send the fragment). */
export function statusPath(ref: string, token?: string): string {
  return `/gesuche/${encodeURIComponent(ref)}${token ? `#token=${encodeURIComponent(token)}` : ''}`;
}

/** The token from `#token=...` in the current address, if any. */
export function tokenFromFragment(hash: string): string | undefined {
  const match = /(?:^#|&)token=([^&]+)/.exec(hash);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
