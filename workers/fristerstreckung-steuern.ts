/**
 * Tax-return deadline extension (`fristerstreckung-steuern`), canton of Lucerne (rules and source:
 * model/tax-extension.ts). `tax-extension-assess` grants automatically up to two months (31 May),
 * for self-employed and represented taxpayers up to 31 August; declines (BPMN error INVALID_DATA,
 * with the reason) a past date, a request after 31 August, a future tax year, and a date
 * beyond the year end without a reason; anything else is a human decision. An invalid AHV number
 * raises INVALID_DATA too. No fee.
 */
import { BusinessError, type WorkerHandler } from './ports.js';
import { readCase } from './job-input.js';
import { flag, integer, requiredText, text } from './lib/case-data.js';
import { isValidAhv } from '../model/ahv.js';
import { extensionRule } from '../model/tax-extension.js';
import { todayIso } from '../model/dates.js';

export const taxExtensionAssess: WorkerHandler = async (job, ports) => {
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
    reason: text(vars.data, 'reason'),
    today: todayIso(ports.clock.now()),
  });
  if (rule.declined) throw new BusinessError('INVALID_DATA', rule.declined);
  return { variables: { ...rule, requestedUntil, grantedUntil: rule.autoGrant ? requestedUntil : null, feeCents: 0 } };
};
