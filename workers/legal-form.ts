/**
 * Letter blocks that give a decision its legal form (rules and sources: model/legal-basis.ts):
 * the reasons and legal basis of a negative or partial decision, the legal basis of a fee, and
 * the Rechtsmittelbelehrung. Every letter that refuses, grants less than asked or charges a fee
 * ends with them.
 */
import type { CaseVariables } from '../model/types.js';
import { formatChf } from '../model/format.js';
import { remedyText, serviceLaw } from '../model/legal-basis.js';
import type { LetterBlock } from './pdf.js';

export function rechtsmittelbelehrung(serviceKey: string): LetterBlock[] {
  return [
    { kind: 'paragraph', text: 'Rechtsmittelbelehrung', bold: true },
    { kind: 'paragraph', text: remedyText(serviceLaw(serviceKey)) },
  ];
}

/** Reasons (required: a negative decision without them is not issued), legal basis, remedy. */
export function negativeDecision(vars: CaseVariables, reason: string | undefined): LetterBlock[] {
  if (!reason) throw new Error(`a negative decision needs its reasons (case ${vars.reference}): decisionReason is empty`);
  return [
    { kind: 'paragraph', text: 'Begründung', bold: true },
    { kind: 'paragraph', text: reason },
    { kind: 'paragraph', text: `Rechtsgrundlage: ${serviceLaw(vars.serviceKey).decision}.` },
    ...rechtsmittelbelehrung(vars.serviceKey),
  ];
}

/** A fee charged with the document: amount, its legal basis and the remedy; nothing when free. */
export function feeAssessment(vars: CaseVariables, feeCents: number | undefined): LetterBlock[] {
  if (!feeCents || feeCents <= 0) return [];
  const law = serviceLaw(vars.serviceKey);
  return [
    { kind: 'paragraph', text: 'Gebühr', bold: true },
    { kind: 'paragraph', text: `Für diesen Entscheid wird eine Gebühr von ${formatChf(feeCents)} erhoben (Rechtsgrundlage: ${law.fee ?? law.decision}).` },
    ...rechtsmittelbelehrung(vars.serviceKey),
  ];
}
