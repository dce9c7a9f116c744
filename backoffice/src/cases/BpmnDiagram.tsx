/** The case's process as a bpmn-js NavigatedViewer, passed steps and the current step marked. */
import { useEffect, useRef } from 'react';
import { Box, Stack, Typography } from '@mui/material';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import { useTranslate } from 'react-admin';
import type { CaseDiagram } from '../dataProvider';

const markerCss = {
  '& .bo-done:not(.djs-connection) .djs-visual > :nth-child(1)': { stroke: '#2e7d32 !important', fill: '#edf7ee !important' },
  '& .bo-done.djs-connection .djs-visual > path': { stroke: '#2e7d32 !important' },
  '& .bo-current .djs-visual > :nth-child(1)': { stroke: '#1d5a99 !important', strokeWidth: '3px !important', fill: '#e3effa !important' },
  '& .bjs-powered-by': { opacity: 0.4 },
};

export function BpmnDiagram({ diagram }: { diagram: CaseDiagram }) {
  const translate = useTranslate();
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!container.current || !diagram.xml) return;
    const viewer = new NavigatedViewer({ container: container.current });
    let cancelled = false;
    void viewer.importXML(diagram.xml).then(() => {
      if (cancelled) return;
      const canvas = viewer.get<any>('canvas');
      const registry = viewer.get<any>('elementRegistry');
      for (const id of [...diagram.completed, ...diagram.flows]) if (registry.get(id)) canvas.addMarker(id, 'bo-done');
      for (const id of diagram.active) if (registry.get(id)) canvas.addMarker(id, 'bo-current');
      canvas.zoom('fit-viewport', 'auto');
    });
    return () => {
      cancelled = true;
      viewer.destroy();
    };
  }, [diagram]);
  if (!diagram.xml) return null;
  return (
    <Box>
      <Box ref={container} data-testid="bpmn-diagram" sx={{ height: 340, border: '1px solid', borderColor: 'divider', borderRadius: 1, bgcolor: '#fff', ...markerCss }} />
      <Stack direction="row" spacing={2} sx={{ mt: 1 }}>
        <Legend colour="#2e7d32" fill="#edf7ee" label={translate('app.cases.process_legend_done')} />
        <Legend colour="#1d5a99" fill="#e3effa" label={translate('app.cases.process_legend_current')} />
      </Stack>
    </Box>
  );
}

function Legend({ colour, fill, label }: { colour: string; fill: string; label: string }) {
  return (
    <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
      <Box sx={{ width: 14, height: 10, border: `2px solid ${colour}`, bgcolor: fill, borderRadius: 0.5 }} />
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
    </Stack>
  );
}
