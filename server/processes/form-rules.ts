/**
 * The validation rules of the form-js viewer (Validator: runNumberValidation, runPresetValidation)
 * with German messages. Kept rule for rule, so the server refuses exactly the values the form
 * refuses: lengths count the trimmed text in UTF-16 units, pattern/e-mail/phone test the untrimmed
 * text, a rule applies only to a non-empty value, min/max compare exactly (big.js there).
 * Type checks (a text must be a string, ...) are not here: the form can only produce typed values,
 * an API client can send anything, so form-validation.ts checks types before these rules.
 */
import Big from 'big.js';
import { evaluateFeel, isFeelExpression } from './form-feel';

/** form-js EMAIL_PATTERN (@bpmn-io/form-js-viewer Validator). */
export const EMAIL_PATTERN = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/**
 * form-js PHONE_PATTERN: an international number, "+" or "00", country code, digits, no blanks
 * (e.g. +41412088111). Not anchored at the start there either.
 */
export const PHONE_PATTERN =
  /(\+|00)(297|93|244|1264|358|355|376|971|54|374|1684|1268|61|43|994|257|32|229|226|880|359|973|1242|387|590|375|501|1441|591|55|1246|673|975|267|236|1|61|41|56|86|225|237|243|242|682|57|269|238|506|53|5999|61|1345|357|420|49|253|1767|45|1809|1829|1849|213|593|20|291|212|34|372|251|358|679|500|33|298|691|241|44|995|44|233|350|224|590|220|245|240|30|1473|299|502|594|1671|592|852|504|385|509|36|62|44|91|246|353|98|964|354|972|39|1876|44|962|81|76|77|254|996|855|686|1869|82|383|965|856|961|231|218|1758|423|94|266|370|352|371|853|590|212|377|373|261|960|52|692|389|223|356|95|382|976|1670|258|222|1664|596|230|265|60|262|264|687|227|672|234|505|683|31|47|977|674|64|968|92|507|64|51|63|680|675|48|1787|1939|850|351|595|970|689|974|262|40|7|250|966|249|221|65|500|4779|677|232|503|378|252|508|381|211|239|597|421|386|46|268|1721|248|963|1649|235|228|66|992|690|993|670|676|1868|216|90|688|886|255|256|380|598|1|998|3906698|379|1784|58|1284|1340|84|678|681|685|967|27|260|263)(9[976]\d|8[987530]\d|6[987]\d|5[90]\d|42\d|3[875]\d|2[98654321]\d|9[8543210]|8[6421]|6[6543210]|5[87654321]|4[987654310]|3[9643210]|2[70]|7|1)\d{4,20}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** validate properties form-js evaluates as FEEL when they start with "=". */
const FEEL_PROPERTIES = ['min', 'max', 'minLength', 'maxLength'] as const;

/**
 * form-js evaluateFEELValues: `=`-valued limits are evaluated in the field's context; a limit that
 * is (or evaluates to) null is dropped, as if not set.
 */
export function evaluatedRules(validate: unknown, context: Record<string, unknown>): Record<string, unknown> {
  const rules: Record<string, unknown> = isPlainObject(validate) ? { ...validate } : {};
  for (const property of FEEL_PROPERTIES) {
    if (!Object.hasOwn(rules, property)) continue;
    const raw = rules[property];
    const value = isFeelExpression(raw) ? evaluateFeel(raw, context) : raw;
    if (value === null || value === undefined) delete rules[property];
    else rules[property] = value;
  }
  return rules;
}

/** Truthy as in JavaScript: form-js applies most rules only `if (value)`. */
function present(value: unknown): boolean {
  return Boolean(value);
}

/** `length < limit` with JavaScript's coercion of the limit, as form-js compares. */
function lengthLimit(limit: unknown): number {
  return typeof limit === 'number' ? limit : Number(limit as string);
}

/**
 * A number as form-js reads it: `Big(value)` (big.js, the library and version form-js uses, so
 * 0.1 + 0.2 questions never arise); null where big.js would throw.
 */
function big(value: unknown): Big | null {
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  try {
    return new Big(value);
  } catch {
    return null;
  }
}

/** Digits after the point of the plain notation (form-js countDecimals; big.js drops trailing zeros). */
const decimalPlaces = (n: Big): number => n.toFixed().split('.')[1]?.length ?? 0;

/** form-js runNumberValidation: decimal digits and increment of a number field. */
export function numberRuleErrors(component: { decimalDigits?: unknown; increment?: unknown }, value: unknown): string[] {
  if (!present(value)) return [];
  const errors: string[] = [];
  const d = big(value);
  if (!d) return ['Muss eine Zahl sein'];
  const digits = component.decimalDigits;
  if ((typeof digits === 'number' || typeof digits === 'string') && Number(digits) >= 0) {
    const max = Number(digits);
    if (decimalPlaces(d) > max) {
      errors.push(max === 0 ? 'Muss eine ganze Zahl sein' : `Höchstens ${max} Nachkommastellen`);
    }
  }
  if (present(component.increment)) {
    const step = big(component.increment);
    if (!step || step.eq(0)) {
      errors.push('Ungültige Schrittweite im Formular');
    } else {
      const offset = d.mod(step);
      if (!offset.eq(0)) {
        const previous = d.minus(offset);
        errors.push(`Ungültiger Wert; die nächsten gültigen Werte sind ${previous.toFixed()} und ${previous.plus(step).toFixed()}`);
      }
    }
  }
  return errors;
}

/** form-js runPresetValidation with already evaluated rules (see evaluatedRules). */
export function presetRuleErrors(type: string, rules: Record<string, unknown>, value: unknown): string[] {
  const errors: string[] = [];
  if (rules.pattern && present(value)) {
    let matches: boolean;
    try {
      matches = new RegExp(String(rules.pattern)).test(String(value));
    } catch {
      matches = false; // form-js would throw; an unusable pattern refuses rather than accepts
    }
    if (!matches) {
      const custom = rules.patternErrorMessage;
      errors.push(typeof custom === 'string' && custom !== '' ? custom : 'Ungültiges Format');
    }
  }
  if (rules.required) {
    const uncheckedCheckbox = type === 'checkbox' && value === false;
    const unset = value === null || value === undefined || value === '';
    const emptyList = Array.isArray(value) && value.length === 0;
    if (uncheckedCheckbox || unset || emptyList) errors.push('Pflichtfeld');
  }
  for (const [property, below] of [
    ['min', true],
    ['max', false],
  ] as const) {
    if (!Object.hasOwn(rules, property) || !(present(value) || value === 0)) continue;
    const v = big(value);
    const limit = big(rules[property]);
    if (!v || !limit) {
      errors.push(below ? 'Ungültiger Mindestwert im Formular' : 'Ungültiger Höchstwert im Formular');
    } else if (below && v.lt(limit)) {
      errors.push(`Muss mindestens ${String(rules[property])} sein`);
    } else if (!below && v.gt(limit)) {
      errors.push(`Darf höchstens ${String(rules[property])} sein`);
    }
  }
  if (typeof value === 'string' && value !== '') {
    const length = value.trim().length;
    if (Object.hasOwn(rules, 'minLength') && length < lengthLimit(rules.minLength)) {
      errors.push(`Mindestens ${String(rules.minLength)} Zeichen`);
    }
    if (Object.hasOwn(rules, 'maxLength') && length > lengthLimit(rules.maxLength)) {
      errors.push(`Höchstens ${String(rules.maxLength)} Zeichen`);
    }
  }
  if (present(value) && rules.validationType === 'phone' && !PHONE_PATTERN.test(String(value))) {
    errors.push('Ungültige Telefonnummer');
  }
  if (present(value) && rules.validationType === 'email' && !EMAIL_PATTERN.test(String(value))) {
    errors.push('Ungültige E-Mail-Adresse');
  }
  return errors;
}
