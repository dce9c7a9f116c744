/** A Camunda Form rendered by @bpmn-io/form-js-viewer; the parent submits it through the handle. */
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { Box } from '@mui/material';
import { Form } from '@bpmn-io/form-js-viewer';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import { translateValidator } from './formMessages';

export interface CamundaFormHandle {
  /** Validates; returns the data when valid, or null (the form shows the errors). */
  submit(): { data: Record<string, unknown>; valid: boolean };
}

export const CamundaForm = forwardRef<CamundaFormHandle, { schema: unknown; data: Record<string, unknown>; readOnly: boolean }>(function CamundaForm({ schema, data, readOnly }, ref) {
  const container = useRef<HTMLDivElement>(null);
  const form = useRef<Form | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const f = new Form({ container: container.current, properties: { readOnly } });
    translateValidator(f.get('validator') as Record<string, unknown>);
    form.current = f;
    void f.importSchema(schema as never, data);
    return () => {
      f.destroy();
      form.current = null;
    };
  }, [schema, data, readOnly]);

  useImperativeHandle(ref, () => ({
    submit() {
      const result = form.current?.submit();
      if (!result) return { data: {}, valid: false };
      return { data: result.data as Record<string, unknown>, valid: Object.keys(result.errors ?? {}).length === 0 };
    },
  }));

  return (
    <Box
      ref={container}
      data-testid="camunda-form"
      sx={{
        '& .fjs-container': { fontFamily: 'inherit' },
        '& .fjs-form': { p: 0 },
        '& .fjs-container .fjs-form-field': { mx: 0 },
        '--cds-text-primary': '#1f2933',
        '--color-accent': '#1d5a99',
      }}
    />
  );
});
