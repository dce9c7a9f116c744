/**
 * The sign-in page: the single sign-on button ("Mit Kantons-Login anmelden") when the server has
 * one configured, and username and password unless the password login is switched off
 * (GET /api/auth/options). Either way the server answers with an httpOnly session cookie.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { Alert, Box, Button, Card, CardContent, Divider, Typography } from '@mui/material';
import { LocalesMenuButton, LoginForm, useTranslate } from 'react-admin';
import { PasswordChange, usePendingPasswordChange } from './PasswordChange';
import { ssoError } from '../session';

interface AuthOptions {
  sso: boolean;
  localLogin: boolean;
  ssoLabel: string | null;
  ssoLoginUrl: string | null;
}

function useAuthOptions(): AuthOptions | null {
  const [options, setOptions] = useState<AuthOptions | null>(null);
  useEffect(() => {
    let cancelled = false;
    fetch('/api/auth/options', { headers: { accept: 'application/json' } })
      .then((res) => (res.ok ? (res.json() as Promise<AuthOptions>) : null))
      // without an answer the password form stays (it says itself when it is refused)
      .catch(() => null)
      .then((value) => !cancelled && setOptions(value ?? { sso: false, localLogin: true, ssoLabel: null, ssoLoginUrl: null }));
    return () => {
      cancelled = true;
    };
  }, []);
  return options;
}

export function LoginPage() {
  const translate = useTranslate();
  const pendingChange = usePendingPasswordChange();
  const options = useAuthOptions();
  const error = useSyncExternalStore(ssoError.subscribe, ssoError.get);
  return (
    <Box sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', bgcolor: 'background.default', position: 'relative' }}>
      <Box sx={{ position: 'absolute', top: 12, right: 12 }}>
        <LocalesMenuButton />
      </Box>
      <Card variant="outlined" sx={{ width: 380 }}>
        <Box sx={{ height: 6, background: 'linear-gradient(90deg, #ffffff 0 50%, #1d5a99 50% 100%)', borderBottom: '1px solid #e3e6ea' }} />
        <CardContent sx={{ px: 4, pt: 4 }}>
          <Typography variant="overline" color="text.secondary">
            {translate('app.organisation')}
          </Typography>
          <Typography variant="h5" component="h1">
            {translate('app.login.title')}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {translate('app.login.subtitle')}
          </Typography>
          {error && (
            <Alert severity="error" role="alert" data-testid="sso-error" onClose={() => ssoError.set(null)}>
              {translate(error, { _: error })}
            </Alert>
          )}
        </CardContent>
        {pendingChange ? (
          <PasswordChange {...pendingChange} />
        ) : (
          <>
            {options?.sso && options.ssoLoginUrl && (
              <Box sx={{ px: 4, pb: options.localLogin ? 1 : 3 }}>
                {/* a link styled as a button: it leaves the app for the provider's page */}
                <Button variant="contained" fullWidth href={options.ssoLoginUrl} data-testid="sso-login">
                  {options.ssoLabel ?? translate('app.login.sso')}
                </Button>
              </Box>
            )}
            {options?.sso && options.localLogin && (
              <Divider sx={{ mx: 4, mt: 1 }}>
                <Typography variant="caption" color="text.secondary">
                  {translate('app.login.or_password')}
                </Typography>
              </Divider>
            )}
            {options && options.localLogin && <LoginForm sx={{ px: 2, pb: 2, '& .MuiFormControl-root': { width: '100%' }, '& .MuiButton-root': { width: '100%' } }} />}
            {options && !options.localLogin && !options.sso && (
              <Box sx={{ px: 4, pb: 3 }}>
                <Alert severity="warning">{translate('app.login.no_method')}</Alert>
              </Box>
            )}
          </>
        )}
      </Card>
    </Box>
  );
}
