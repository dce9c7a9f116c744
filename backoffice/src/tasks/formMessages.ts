/**
 * German for form-js's validation messages (issue 18). form-js 1.23 writes them in English with
 * no translation hook, so the form's validator service is wrapped and its messages translated.
 */
const messages: Array<[RegExp, (...groups: string[]) => string]> = [
  [/^Field is required\.$/, () => 'Pflichtfeld.'],
  [/^Field must have minimum value of (.+)\.$/, (v) => `Der Wert muss mindestens ${v} sein.`],
  [/^Field must have maximum value of (.+)\.$/, (v) => `Der Wert darf höchstens ${v} sein.`],
  [/^Field must have minimum length of (.+)\.$/, (v) => `Mindestens ${v} Zeichen.`],
  [/^Field must have maximum length of (.+)\.$/, (v) => `Höchstens ${v} Zeichen.`],
  [/^Field must match pattern (.+)\.$/, (p) => `Das Format stimmt nicht (${p}).`],
  [/^Field must be a valid email\.$/, () => 'Bitte eine gültige E-Mail-Adresse eingeben.'],
  [/^Field must be a valid {1,2}international phone number\./, () => 'Bitte eine gültige internationale Telefonnummer eingeben (z. B. +41411234567).'],
  [/^Value is not a number\.$/, () => 'Bitte eine Zahl eingeben.'],
  [/^Value is expected to be an integer\.$/, () => 'Bitte eine ganze Zahl eingeben.'],
  [/^Value is expected to have at most (\d+) decimal digits?\.$/, (n) => `Höchstens ${n} Nachkommastellen.`],
  [/^Please select a valid value, the two nearest valid values are (.+) and (.+)\.$/, (a, b) => `Bitte einen gültigen Wert wählen; die nächsten sind ${a} und ${b}.`],
];

export function germanFormMessage(message: string): string {
  for (const [pattern, german] of messages) {
    const match = pattern.exec(message);
    if (match) return german(...match.slice(1));
  }
  return message;
}

type Validate = (...args: unknown[]) => string[];

/** Makes the validator of a form-js Form (`form.get('validator')`) answer in German. */
export function translateValidator(validator: Record<string, unknown>): void {
  for (const method of ['validateField', 'validateFieldInstance']) {
    const original = validator[method];
    if (typeof original !== 'function') continue;
    const bound = (original as Validate).bind(validator);
    validator[method] = (...args: unknown[]) => bound(...args).map(germanFormMessage);
  }
}
