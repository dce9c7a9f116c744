/**
 * What the list tables share (issue 18, 1366×768): rows reachable by keyboard, a quiet header,
 * and row actions (`cellClassName={actionsCell}`) pinned to the right edge of the table's own
 * scroll container (theme.ts), so "Übernehmen" stays on screen even when the table scrolls.
 */
import { keyboardRowsSx } from './KeyboardRows';

export const actionsCell = 'actions-cell';

const pinnedRight = { position: 'sticky', right: 0, zIndex: 1, bgcolor: 'background.paper', boxShadow: 'inset 1px 0 0 #e3e6ea' } as const;

export const listTableSx = {
  ...keyboardRowsSx,
  '& .RaDatagrid-headerCell': { bgcolor: '#fafbfc' },
  // 8 px instead of 16 px beside each cell: ten columns fit a 1366 px window beside the menu
  '& .MuiTableCell-sizeSmall': { px: 1 },
  '& .MuiTableCell-paddingCheckbox': { pl: 0.5 },
  [`& td.${actionsCell}`]: pinnedRight,
  [`& th.${actionsCell}`]: { ...pinnedRight, zIndex: 3, bgcolor: '#fafbfc' },
} as const;
