/** Catalogue look-ups shared by lists and pages: services and municipalities, cached for the session. */
import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
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

/** A colleague's display name by username, the username itself when unknown. */
export function useColleagueName(): (username: string) => string {
  const list = useColleagues();
  const byUsername = new Map(list.map((c) => [c.username, c.displayName]));
  return (username) => byUsername.get(username) ?? username;
}

/** Field labels of a service's start form (key → label), for showing submitted data. */
export function useStartFormLabels(serviceKey: string | undefined): Record<string, string> {
  const { data } = useQuery({
    queryKey: ['lookup', 'start-form', serviceKey],
    enabled: Boolean(serviceKey),
    staleTime: Infinity,
    queryFn: async () => {
      const res = await fetch(`/api/v1/services/${encodeURIComponent(serviceKey!)}`, { headers: { accept: 'application/json' } });
      if (!res.ok) return {};
      const service = (await res.json()) as { form?: { components?: FormComponent[] } };
      const labels: Record<string, string> = {};
      const walk = (components: FormComponent[] = []) => {
        for (const c of components) {
          if (c.key && c.label) labels[c.key] = c.label;
          walk(c.components);
        }
      };
      walk(service.form?.components);
      return labels;
    },
  });
  return data ?? {};
}

interface FormComponent {
  key?: string;
  label?: string;
  components?: FormComponent[];
}
