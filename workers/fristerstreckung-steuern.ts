/**
 * Tax-return deadline extension (`fristerstreckung-steuern`), canton of Lucerne. The return for
 * tax year Y is due on 31 March of Y+1. `tax-extension-assess` grants automatically up to two
 * months (31 May), for self-employed and represented taxpayers up to 31 August; anything later
 * is a human decision. An invalid AHV number raises the BPMN error INVALID_DATA. No fee.
 */
import { BusinessError, type WorkerHandler } from './ports.js';
import { readCase } from './job-input.js';
import { flag, integer, requiredText, text } from './lib/case-data.js';
import { isValidAhv } from '../model/ahv.js';

export function extensionRule(input: { taxYear: number; requestedUntil: string; selfEmployed: boolean; represented: boolean }) {
  const next = input.taxYear + 1;
  const standardDeadline = `${next}-03-31`;
  const routineLimit = input.selfEmployed || input.represented ? `${next}-08-31` : `${next}-05-31`;
  const autoGrant = input.requestedUntil > standardDeadline && input.requestedUntil <= routineLimit;
  return { standardDeadline, routineLimit, autoGrant };
}

export const taxExtensionAssess: WorkerHandler = async (job) => {
  const vars = readCase(job);
  if (!isValidAhv(text(vars.data, 'ahvNumber'))) throw new BusinessError('INVALID_DATA', 'Die AHV-Nummer ist ungültig (Prüfziffer).');
  const taxYear = integer(vars.data, 'taxYear');
  if (!taxYear) throw new Error('start form field "taxYear" missing');
  const requestedUntil = requiredText(vars.data, 'requestedUntil');
  const rule = extensionRule({
    taxYear,
    requestedUntil,
    selfEmployed: text(vars.data, 'taxpayerType') === 'self_employed',
    represented: flag(vars.data, 'represented'),
  });
  return { variables: { ...rule, requestedUntil, grantedUntil: rule.autoGrant ? requestedUntil : null, feeCents: 0 } };
};
