/**
 * Datagrid rows that keyboard users can reach with Tab and open with Enter, as a click would
 * (issue 18): `<Datagrid body={keyboardRowsBody} …>`.
 */
import type { KeyboardEvent } from 'react';
import { DatagridBody, DatagridRow } from 'react-admin';

function openOnEnter(event: KeyboardEvent<HTMLTableRowElement>) {
  // Enter on a button or checkbox inside the row does what that control does
  if (event.key === 'Enter' && event.target === event.currentTarget) event.currentTarget.click();
}

export const keyboardRowsBody = <DatagridBody row={<DatagridRow tabIndex={0} onKeyDown={openOnEnter} />} />;

/** a visible focus ring on rows (add to the Datagrid's sx) */
export const keyboardRowsSx = { '& tbody tr:focus-visible': { outline: '2px solid #1d5a99', outlineOffset: '-2px' } };
