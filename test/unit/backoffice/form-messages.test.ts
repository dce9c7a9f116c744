import { describe, expect, it } from 'vitest';
import { germanFormMessage, translateValidator } from '../../../backoffice/src/tasks/formMessages';

describe('form-js validation messages in German', () => {
  it('translates the messages form-js 1.23 writes, with their values, and leaves unknown ones as they are', () => {
    expect(germanFormMessage('Field is required.')).toBe('Pflichtfeld.');
    expect(germanFormMessage('Field must have minimum value of 1.')).toBe('Der Wert muss mindestens 1 sein.');
    expect(germanFormMessage('Field must have maximum length of 500.')).toBe('Höchstens 500 Zeichen.');
    expect(germanFormMessage('Field must be a valid email.')).toBe('Bitte eine gültige E-Mail-Adresse eingeben.');
    expect(germanFormMessage('Value is expected to be an integer.')).toBe('Bitte eine ganze Zahl eingeben.');
    expect(germanFormMessage('Bitte die Gemeinde wählen')).toBe('Bitte die Gemeinde wählen'); // a form's own patternErrorMessage
  });

  it("wraps a validator's methods", () => {
    const validator: Record<string, unknown> = { validateField: () => ['Field is required.'], validateFieldInstance: () => ['Field must have minimum length of 3.'] };
    translateValidator(validator);
    expect((validator.validateField as () => string[])()).toEqual(['Pflichtfeld.']);
    expect((validator.validateFieldInstance as () => string[])()).toEqual(['Mindestens 3 Zeichen.']);
  });
});
