/** A calm light theme: Lucerne blue, white surfaces, quiet borders instead of shadows. */
import { defaultTheme, type RaThemeOptions } from 'react-admin';

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    mode: 'light',
    primary: { main: '#1d5a99' },
    secondary: { main: '#1d5a99' },
    background: { default: '#f5f6f8', paper: '#ffffff' },
    error: { main: '#b3261e' },
    warning: { main: '#a15c00' },
    success: { main: '#2e7d32' },
    text: { primary: '#1f2933', secondary: '#52606d' },
    divider: '#e3e6ea',
  },
  shape: { borderRadius: 6 },
  typography: {
    fontFamily: '"Source Sans 3", "Segoe UI", "Helvetica Neue", Arial, sans-serif',
    fontSize: 14,
    h5: { fontWeight: 600 },
    h6: { fontWeight: 600, fontSize: '1.05rem' },
    subtitle2: { fontWeight: 600 },
  },
  sidebar: { width: 272, closedWidth: 55 },
  components: {
    ...defaultTheme.components,
    MuiPaper: { styleOverrides: { root: { backgroundImage: 'none' } }, defaultProps: { elevation: 0 } },
    MuiCard: { styleOverrides: { root: { border: '1px solid #e3e6ea' } } },
    MuiAppBar: { styleOverrides: { root: { boxShadow: 'none', borderBottom: '1px solid #174a7f' } } },
    MuiTableCell: { styleOverrides: { head: { fontWeight: 600, color: '#52606d' } } },
    MuiButton: { defaultProps: { disableElevation: true }, styleOverrides: { root: { textTransform: 'none', fontWeight: 600 } } },
    // react-admin labels a row's select checkbox on its wrapper, not on the input (axe: "label",
    // critical): every checkbox without a label of its own gets one (the header's keeps its own)
    MuiCheckbox: { defaultProps: { slotProps: { input: { 'aria-label': 'Auswählen' } } } },
    MuiChip: { styleOverrides: { root: { fontWeight: 500 } } },
    // a list never outgrows the window (issue 18, 1366×768): its column may shrink, and a table
    // too wide for it scrolls in its own wrapper instead of widening the page (see Layout.tsx)
    RaList: { styleOverrides: { root: { '& .RaList-main': { minWidth: 0 } } } },
    RaDatagrid: { styleOverrides: { root: { '& .RaDatagrid-tableWrapper': { overflowX: 'auto' } } } },
    // an empty list's message ("Noch keine Störungen.") in the disabled grey is 2.6:1 on the page
    // background (axe color-contrast, serious): the secondary text colour gives 6:1
    RaEmpty: { styleOverrides: { root: { '& .RaEmpty-message': { color: '#52606d' } } } },
  },
};
