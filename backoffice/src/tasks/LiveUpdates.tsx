/**
 * The live inbox: the server pushes "tasks you may see changed" (server-sent events on
 * /api/tasks/events, one stream per tab) and the list refetches at once. Only while the stream
 * is down does the list poll every few seconds. `data-state` (connecting, live, polling) tells
 * tests which one is in use.
 */
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useListContext } from 'react-admin';

type LiveState = 'connecting' | 'live' | 'polling';

export function LiveUpdates({ fallbackEveryMs = 4000 }: { fallbackEveryMs?: number }) {
  const { refetch } = useListContext();
  const queryClient = useQueryClient();
  // the latest refetch without reconnecting the stream when its identity changes
  const refresh = useRef<() => void>(() => undefined);
  useEffect(() => {
    refresh.current = () => {
      void refetch();
      void queryClient.invalidateQueries({ queryKey: ['inbox', 'counts'] });
    };
  }, [refetch, queryClient]);
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    let timer: number | undefined;
    const startPolling = () => {
      setState('polling');
      timer ??= window.setInterval(() => {
        if (document.visibilityState === 'visible') refresh.current();
      }, fallbackEveryMs);
    };
    const stopPolling = () => {
      window.clearInterval(timer);
      timer = undefined;
    };
    if (typeof EventSource === 'undefined') {
      startPolling();
      return stopPolling;
    }
    const source = new EventSource('/api/tasks/events', { withCredentials: true });
    let connectedBefore = false;
    source.addEventListener('open', () => {
      stopPolling();
      setState('live');
      // after a reconnect: whatever changed while the stream was down
      if (connectedBefore) refresh.current();
      connectedBefore = true;
    });
    source.addEventListener('tasks', () => refresh.current());
    // EventSource retries by itself (retry: 3 s); until then, and if it gives up, poll
    source.addEventListener('error', startPolling);
    return () => {
      source.close();
      stopPolling();
    };
  }, [fallbackEveryMs]);

  return <span hidden data-testid="inbox-live" data-state={state} />;
}
