/**
 * react-admin's Pagination for lists whose total the server may cap (tasks, cases): with
 * X-Total-Capped (meta.totalCapped) the range reads "1–25 von über 10'000" instead of claiming
 * an exact total; paging still works, the server always knows whether a next page exists.
 */
import { useCallback } from 'react';
import type { LabelDisplayedRowsArgs } from '@mui/material';
import { Pagination, useListContext, useTranslate, type PaginationProps } from 'react-admin';
import type { ListMeta } from '../dataProvider';
import { cappedLowerBound, formatCount } from '../format';

export function CappedPagination(props: PaginationProps) {
  const { meta } = useListContext();
  const translate = useTranslate();
  const capped = Boolean((meta as ListMeta | undefined)?.totalCapped);
  const labelDisplayedRows = useCallback(({ from, to, count }: LabelDisplayedRowsArgs) => translate('app.list.range_capped', { from, to, more: formatCount(cappedLowerBound(count)) }), [translate]);
  // labelDisplayedRows reaches MUI's TablePagination through the rest props
  const label = capped ? ({ labelDisplayedRows } as Record<string, unknown>) : {};
  return <Pagination {...props} {...label} />;
}
