/** A date and time in a list as everywhere else in the back office ("02.12.2026 14:27"), not the browser's locale format. */
import { FunctionField } from 'react-admin';
import { formatDateTime } from '../format';

export function DateTimeField({ source, sortable = false }: { source: string; sortable?: boolean }) {
  return <FunctionField source={source} sortable={sortable} render={(record: Record<string, string | null | undefined>) => formatDateTime(record[source])} />;
}
