/** The start and task forms of a process version, edited with the form-js editor. */
import { useEffect, useRef, useState } from 'react';
import { Box, Button, MenuItem, Stack, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';
import { FormEditor } from '@bpmn-io/form-js-editor';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import type { StoredForm } from './api';
import { germanFormEditor } from './germanEditors';

export function FormsEditor({ forms, onChange }: { forms: StoredForm[]; onChange: (forms: StoredForm[]) => void }) {
  const translate = useTranslate();
  const [selected, setSelected] = useState(forms[0]?.fileName ?? '');
  const [newId, setNewId] = useState('');
  const container = useRef<HTMLDivElement>(null);
  const formsRef = useRef(forms);
  // eslint-disable-next-line react-hooks/refs -- latest-value ref: the editor's change listener (created once per form) must see the current list
  formsRef.current = forms;
  const current = forms.find((f) => f.fileName === selected);

  useEffect(() => {
    if (!container.current || !current) return;
    const editor = new FormEditor({ container: container.current });
    const stopGerman = germanFormEditor(container.current);
    void editor.importSchema(current.schema);
    editor.on('changed', () => {
      const schema = editor.saveSchema() as StoredForm['schema'];
      onChange(formsRef.current.map((f) => (f.fileName === selected ? { ...f, schema } : f)));
    });
    return () => {
      stopGerman();
      editor.destroy();
    };
    // re-create only when another form is selected
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, Boolean(current)]);

  const addForm = () => {
    const id = newId.trim();
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id) || forms.some((f) => f.schema.id === id)) return;
    const form: StoredForm = { fileName: `${id}.form`, schema: { id, type: 'default', components: [] } };
    onChange([...forms, form]);
    setSelected(form.fileName);
    setNewId('');
  };

  return (
    <Box>
      <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center' }}>
        <TextField select size="small" label={translate('app.processes.form')} value={selected} onChange={(e) => setSelected(e.target.value)} sx={{ minWidth: 280 }} data-testid="form-select">
          {forms.map((f) => (
            <MenuItem key={f.fileName} value={f.fileName}>{`${f.schema.id} (${f.fileName})`}</MenuItem>
          ))}
        </TextField>
        <TextField size="small" label={translate('app.processes.new_form_id')} value={newId} onChange={(e) => setNewId(e.target.value)} />
        <Button variant="outlined" onClick={addForm}>
          {translate('app.processes.new_form')}
        </Button>
      </Stack>
      <Box ref={container} data-testid="form-editor" sx={{ height: 620, border: '1px solid', borderColor: 'divider', borderRadius: 1, bgcolor: '#fff', overflow: 'hidden' }} />
    </Box>
  );
}
