/** The sign-in page: username and password; the server answers with an httpOnly session cookie. */
import { Box, Card, CardContent, Typography } from '@mui/material';
import { LocalesMenuButton, LoginForm, useTranslate } from 'react-admin';
import { PasswordChange, usePendingPasswordChange } from './PasswordChange';

export function LoginPage() {
  const translate = useTranslate();
  const pendingChange = usePendingPasswordChange();
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
        </CardContent>
        {pendingChange ? <PasswordChange {...pendingChange} /> : <LoginForm sx={{ px: 2, pb: 2, '& .MuiFormControl-root': { width: '100%' }, '& .MuiButton-root': { width: '100%' } }} />}
      </Card>
    </Box>
  );
}
