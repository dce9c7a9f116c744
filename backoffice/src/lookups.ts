/** Catalogue look-ups shared by lists and pages: services and municipalities, cached for the session. */
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useTranslate } from 'react-admin';
import type { BackofficeDataProvider } from './dataProvider';

export function useServices() {
  const dp = useDataProvider<BackofficeDataProvider>();
  const { data } = useQuery({ queryKey: ['lookup', 'services'], queryFn: () => dp.services(), staleTime: Infinity });
  return data ?? [];
}

export function useMunicipalities() {
  const dp = useDataProvider<BackofficeDataProvider>();
  const { data } = useQuery({ queryKey: ['lookup', 'municipalities'], queryFn: () => dp.municipalities(), staleTime: Infinity });
  return data ?? [];
}

export function useMunicipalityName(): (bfs: number | null | undefined) => string {
  const list = useMunicipalities();
  const byNumber = new Map(list.map((m) => [m.bfsNumber, m.name]));
  return (bfs) => (bfs == null ? '' : (byNumber.get(bfs) ?? String(bfs)));
}

export function useServiceName(): (key: string | null | undefined) => string {
  const list = useServices();
  const byKey = new Map(list.map((s) => [s.key, s.name]));
  return (key) => (key == null ? '' : (byKey.get(key) ?? key));
}

export function useColleagues() {
  const dp = useDataProvider<BackofficeDataProvider>();
  const { data } = useQuery({ queryKey: ['lookup', 'colleagues'], queryFn: () => dp.colleagues(), staleTime: 5 * 60_000 });
  return data ?? [];
}

/**
 * A staff member's display name by username (any organisation, former staff too); "System" for
 * the engine's own steps and deploys; the username itself when unknown.
 */
export function useDisplayName(): (username: string) => string {
  const dp = useDataProvider<BackofficeDataProvider>();
  const translate = useTranslate();
  const { data } = useQuery({ queryKey: ['lookup', 'staff-names'], queryFn: () => dp.staffNames(), staleTime: 5 * 60_000 });
  return (username) => (username === 'system' ? translate('app.cases.actor_system') : (data?.[username] ?? username));
}

/** Field labels of a service's start form (key → label), for showing submitted data. */
/** What a start form says about its fields: their labels, and the labels of their options (select, radio, checklist). */
export interface StartFormText {
  labels: Record<string, string>;
  options: Record<string, Record<string, string>>;
}

export function useStartFormText(serviceKey: string | undefined): StartFormText {
  const { data } = useQuery({
    queryKey: ['lookup', 'start-form', serviceKey],
    enabled: Boolean(serviceKey),
    staleTime: Infinity,
    queryFn: async (): Promise<StartFormText> => {
      const text: StartFormText = { labels: {}, options: {} };
      const res = await fetch(`/api/v1/services/${encodeURIComponent(serviceKey!)}`, { headers: { accept: 'application/json' } });
      if (!res.ok) return text;
      const service = (await res.json()) as { form?: { components?: FormComponent[] } };
      const walk = (components: FormComponent[] = []) => {
        for (const c of components) {
          if (c.key && c.label) text.labels[c.key] = c.label;
          if (c.key && c.values) text.options[c.key] = Object.fromEntries(c.values.map((o) => [String(o.value), o.label]));
          walk(c.components);
        }
      };
      walk(service.form?.components);
      return text;
    },
  });
  return data ?? { labels: {}, options: {} };
}

interface FormComponent {
  key?: string;
  label?: string;
  values?: Array<{ label: string; value: unknown }>;
  components?: FormComponent[];
}
