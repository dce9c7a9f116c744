/** After a login with an initial password: choose an own one (POST /api/auth/password), then sign in with it. */
import { useState, useSyncExternalStore } from 'react';
import { Alert, Box, Button, TextField } from '@mui/material';
import { useLogin, useTranslate } from 'react-admin';
import { passwordChange } from '../session';

export const usePendingPasswordChange = () => useSyncExternalStore(passwordChange.subscribe, passwordChange.get);

export function PasswordChange({ username, password }: { username: string; password: string }) {
  const translate = useTranslate();
  const login = useLogin();
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const res = await fetch('/api/auth/password', {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password, newPassword }),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { detail?: string; errors?: Array<{ message: string }> };
      setError(body.errors?.map((e) => e.message).join(', ') || body.detail || translate('app.login.failed'));
      return;
    }
    passwordChange.set(null);
    await login({ username, password: newPassword });
  };
  return (
    <Box component="form" onSubmit={submit} sx={{ px: 4, pb: 3, display: 'grid', gap: 2 }} data-testid="password-change">
      <Alert severity="info">{translate('app.login.must_change_password')}</Alert>
      <TextField label={translate('app.login.new_password')} type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} required autoFocus />
      {error && <Alert severity="error">{error}</Alert>}
      <Button type="submit" variant="contained">
        {translate('app.login.change_password')}
      </Button>
    </Box>
  );
}
