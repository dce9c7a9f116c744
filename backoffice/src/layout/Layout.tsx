import type { ReactNode } from 'react';
import { AppBar, Layout as RaLayout, LocalesMenuButton, TitlePortal, UserMenu, useGetIdentity, useTranslate } from 'react-admin';
import { Box, Typography } from '@mui/material';
import { Menu } from './Menu';

function Bar() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  return (
    // the user button shows the name, so its accessible name is the name too (axe
    // "label-content-name-mismatch": react-admin labels it "Profil")
    <AppBar color="primary" toolbar={<LocalesMenuButton />} userMenu={<UserMenu label={identity?.fullName ?? 'ra.auth.user_menu'} />}>
      <Typography component="span" sx={{ fontWeight: 700, mr: 2, whiteSpace: 'nowrap' }}>
        {translate('app.organisation')} · {translate('app.title')}
      </Typography>
      <TitlePortal variant="body1" sx={{ opacity: 0.85 }} />
      <Box sx={{ flex: 1 }} />
      {identity && <span data-testid="current-user" data-username={String(identity.id)} hidden />}
    </AppBar>
  );
}

/**
 * react-admin sizes the whole layout to its widest content (`min-width: fit-content`): a wide
 * table widened the page, pushed its actions off-screen at 1366 px and, scrolled sideways, slid
 * over the side menu. Here the page never outgrows the window: the content column may shrink
 * (min-width 0) and a table too wide for it scrolls in its own wrapper (theme.ts).
 */
const fitWindow = { minWidth: 0, '& .RaLayout-content': { minWidth: 0 } };

export const Layout = ({ children }: { children: ReactNode }) => (
  <RaLayout appBar={Bar} menu={Menu} sx={fitWindow}>
    {children}
  </RaLayout>
);
