/**
 * The service's start form rendered by @bpmn-io/form-js-viewer. Loaded lazily (React.lazy), so
 * the catalogue never downloads form-js.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { Form } from '@bpmn-io/form-js-viewer';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import type { Instance as Flatpickr } from 'flatpickr/dist/types/instance';
import type { CustomLocale } from 'flatpickr/dist/types/locale';
import { German } from 'flatpickr/dist/l10n/de';
import { english } from 'flatpickr/dist/l10n/default';
import { useI18n, type Lang } from '../i18n/i18n';

export interface FormJsHandle {
  /** Runs form-js's own validation: the data and the errors by component id. */
  submit(): { data: Record<string, unknown>; errors: Record<string, string[]> };
  /** Shows the server's messages beside the fields (errors by component id). */
  showErrors(errors: Record<string, string[]>): void;
}

/** The portal's date format (dd.MM.yyyy) in both languages; weeks start on Monday. */
const DATE_FORMAT = 'd.m.Y';
const calendarLocales: Record<Lang, CustomLocale> = { de: German, en: { ...english, firstDayOfWeek: 1 } };

/**
 * form-js 1.23 takes the date field's placeholder and format from the browser's locale and has
 * no option for either, and its flatpickr calendar is English. So each date field's flatpickr
 * instance (input._flatpickr) is switched to the portal's language and format once it exists.
 */
function localizeDateFields(root: HTMLElement, lang: Lang, placeholder: string): void {
  const locale = calendarLocales[lang];
  for (const input of root.querySelectorAll<HTMLInputElement & { _flatpickr?: Flatpickr }>('.fjs-datepicker input.flatpickr-input')) {
    const picker = input._flatpickr;
    if (!picker) continue;
    // guarded: set() redraws the calendar, which the observer below sees again
    if (picker.config.locale !== locale || picker.config.dateFormat !== DATE_FORMAT) picker.set({ locale, dateFormat: DATE_FORMAT });
    if (input.placeholder !== placeholder) input.placeholder = placeholder;
  }
}

const FormJs = forwardRef<FormJsHandle, { schema: unknown }>(function FormJs({ schema }, ref) {
  const container = useRef<HTMLDivElement>(null);
  const form = useRef<Form | null>(null);
  const { lang, t } = useI18n();
  const datePlaceholder = t('formjs.datePlaceholder');

  useEffect(() => {
    if (!container.current) return;
    const f = new Form({ container: container.current });
    form.current = f;
    void f.importSchema(schema as never);
    return () => {
      f.destroy();
      form.current = null;
    };
  }, [schema]);

  useEffect(() => {
    const root = container.current;
    if (!root) return;
    // date fields appear after the import and again when a condition shows them
    const localize = () => localizeDateFields(root, lang, datePlaceholder);
    const observer = new MutationObserver(localize);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    localize();
    return () => observer.disconnect();
  }, [lang, datePlaceholder]);

  useImperativeHandle(ref, () => ({
    submit() {
      const result = form.current?.submit();
      if (!result) return { data: {}, errors: {} };
      return { data: result.data as Record<string, unknown>, errors: (result.errors ?? {}) as Record<string, string[]> };
    },
    showErrors(errors) {
      // form-js has no public API for external errors; its state holds them by component id
      form.current?._setState({ errors });
    },
  }));

  return <div ref={container} className="formjs" data-testid="service-form" />;
});

export default FormJs;
