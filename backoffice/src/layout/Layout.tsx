import type { ReactNode } from 'react';
import { AppBar, Layout as RaLayout, LocalesMenuButton, TitlePortal, useGetIdentity, useTranslate } from 'react-admin';
import { Box, Typography } from '@mui/material';
import { Menu } from './Menu';

function Bar() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  return (
    <AppBar color="primary" toolbar={<LocalesMenuButton />}>
      <Typography component="span" sx={{ fontWeight: 700, mr: 2, whiteSpace: 'nowrap' }}>
        {translate('app.organisation')} · {translate('app.title')}
      </Typography>
      <TitlePortal variant="body1" sx={{ opacity: 0.85 }} />
      <Box sx={{ flex: 1 }} />
      {identity && <span data-testid="current-user" data-username={String(identity.id)} hidden />}
    </AppBar>
  );
}

export const Layout = ({ children }: { children: ReactNode }) => (
  <RaLayout appBar={Bar} menu={Menu}>
    {children}
  </RaLayout>
);
