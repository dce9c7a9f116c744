/**
 * The service's start form rendered by @bpmn-io/form-js-viewer. Loaded lazily (React.lazy), so
 * the catalogue never downloads form-js.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { Form } from '@bpmn-io/form-js-viewer';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';

export interface FormJsHandle {
  /** Runs form-js's own validation: the data and the errors by component id. */
  submit(): { data: Record<string, unknown>; errors: Record<string, string[]> };
  /** Shows the server's messages beside the fields (errors by component id). */
  showErrors(errors: Record<string, string[]>): void;
}

const FormJs = forwardRef<FormJsHandle, { schema: unknown; onReady?: () => void }>(function FormJs({ schema, onReady }, ref) {
  const container = useRef<HTMLDivElement>(null);
  const form = useRef<Form | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const f = new Form({ container: container.current });
    form.current = f;
    void f.importSchema(schema as never).then(() => onReady?.());
    return () => {
      f.destroy();
      form.current = null;
    };
  }, [schema, onReady]);

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
