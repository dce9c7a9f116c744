/**
 * The modeler of one service: bpmn-js Modeler with the properties panel and the Zeebe properties
 * provider, form-js editor for the start and task forms, checks (findings as overlays and list),
 * drafts with comment, deploy, version history with diff, export.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, Box, Button, Card, CardContent, Chip, List, ListItem, ListItemText, MenuItem, Stack, Tab, Tabs, TextField, Typography } from '@mui/material';
import { Loading, Title, useNotify, useTranslate } from 'react-admin';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule } from 'bpmn-js-properties-panel';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import { processApi, type DraftInfo, type Finding, type Impact, type ProcessDetail, type ProcessDiff, type StoredForm } from './api';
import { DeployImpactDialog } from './DeployImpactDialog';
import { useDisplayName } from '../lookups';
import { germanTranslateModule } from './germanModeler';
import { germanPanelTooltips } from './germanEditors';

/** The form-js editor is loaded only when its tab is opened. */
const FormsEditor = lazy(() => import('./FormsEditor').then((m) => ({ default: m.FormsEditor })));

const diagramCss = {
  '& .bo-lint': { width: 18, height: 18, borderRadius: '50%', color: '#fff', fontSize: 12, fontWeight: 700, textAlign: 'center', lineHeight: '18px', cursor: 'default' },
  '& .bo-lint-error': { bgcolor: '#c62828' },
  '& .bo-lint-warning': { bgcolor: '#ef6c00' },
  '& .bo-added .djs-visual > :nth-child(1)': { stroke: '#2e7d32 !important', fill: '#e6f4e7 !important' },
  '& .bo-changed .djs-visual > :nth-child(1)': { stroke: '#ef6c00 !important', fill: '#fff3e0 !important' },
  '& .bo-layout .djs-visual > :nth-child(1)': { stroke: '#1d5a99 !important' },
  '& .bjs-powered-by': { opacity: 0.4 },
};

async function errorMessage(err: unknown): Promise<string> {
  const body = (err as { body?: { detail?: string } }).body;
  return body?.detail ?? (err as Error).message;
}

export function ProcessModelerPage() {
  const { id: key = '' } = useParams();
  const translate = useTranslate();
  const notify = useNotify();
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<any>(null);
  const [detail, setDetail] = useState<ProcessDetail>();
  const [forms, setForms] = useState<StoredForm[]>([]);
  const [tab, setTab] = useState(0);
  const [comment, setComment] = useState('');
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [drafts, setDrafts] = useState<DraftInfo[]>([]);
  const [busy, setBusy] = useState(false);
  // the last stored draft and what it holds: deploying unchanged content reuses it (one draft per deploy)
  const lastDraft = useRef<{ id: number; content: string } | null>(null);
  const [impact, setImpact] = useState<Impact | null>(null);

  const reload = useCallback(async () => {
    const d = await processApi.get(key);
    setDetail(d);
    setDrafts(await processApi.drafts(key));
    return d;
  }, [key]);

  useEffect(() => {
    if (!canvasRef.current || !panelRef.current) return;
    const modeler = new BpmnModeler({
      container: canvasRef.current,
      propertiesPanel: { parent: panelRef.current },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule, ZeebeBehaviorsModule, germanTranslateModule],
      moddleExtensions: { zeebe: zeebeModdle },
    });
    modelerRef.current = modeler;
    const stopGermanTooltips = germanPanelTooltips(panelRef.current);
    void reload().then(async (d) => {
      await modeler.importXML(d.xml);
      setForms(d.forms);
      modeler.get<any>('canvas').zoom('fit-viewport', 'auto');
    });
    return () => {
      stopGermanTooltips();
      modeler.destroy();
      modelerRef.current = null;
    };
  }, [reload]);

  const content = async () => {
    const { xml } = await modelerRef.current.saveXML({ format: true });
    return { xml: xml as string, forms };
  };

  const showFindings = (list: Finding[]) => {
    setFindings(list);
    const modeler = modelerRef.current;
    if (!modeler) return;
    const overlays = modeler.get('overlays');
    const registry = modeler.get('elementRegistry');
    overlays.remove({ type: 'lint' });
    const byElement = new Map<string, Finding[]>();
    for (const f of list) byElement.set(f.path, [...(byElement.get(f.path) ?? []), f]);
    for (const [id, items] of byElement) {
      if (!registry.get(id) || registry.get(id).type === 'bpmn:Process') continue;
      const error = items.some((f) => f.severity === 'error');
      const html = document.createElement('div');
      html.className = `bo-lint ${error ? 'bo-lint-error' : 'bo-lint-warning'}`;
      html.title = items.map((f) => f.message).join('\n');
      html.textContent = String(items.length);
      html.setAttribute('data-testid', `lint-overlay-${id}`);
      overlays.add(id, 'lint', { position: { top: -9, right: 9 }, html });
    }
  };

  const lint = async () => {
    const res = await processApi.lint(key, await content());
    showFindings(res.findings);
    return res;
  };

  const saveDraft = async () => {
    const current = await content();
    const draft = await processApi.saveDraft(key, { ...current, comment });
    lastDraft.current = { id: draft.id, content: JSON.stringify(current) };
    notify(translate('app.processes.saved', { id: draft.id }), { type: 'info' });
    setDrafts(await processApi.drafts(key));
    return draft;
  };

  /** The stored draft of what the modeler shows: the last one when nothing changed since. */
  const draftOfCurrentContent = async () => {
    const current = JSON.stringify(await content());
    return lastDraft.current?.content === current ? { id: lastDraft.current.id } : saveDraft();
  };

  const run = (fn: () => Promise<unknown>) => async () => {
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      notify(await errorMessage(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  /** "Bereitstellen": a draft (one per deploy), then the impact preview; deployDraft after the confirmation. */
  const previewDeploy = async () => {
    const draft = await draftOfCurrentContent();
    setImpact(await processApi.impact(key, draft.id));
  };

  const deployDraft = async (draftId: number) => {
    setImpact(null);
    try {
      const version = await processApi.deploy(key, draftId);
      notify(translate('app.processes.deployed', { version: version.version }), { type: 'success' });
      showFindings([]);
      setComment('');
      await reload();
    } catch (err) {
      const errors = (err as { body?: { errors?: Array<{ path: string; message: string }> } }).body?.errors;
      if (errors) {
        showFindings(errors.map((e) => ({ ...e, severity: 'error', rule: '' })));
        notify(translate('app.processes.deploy_refused', { count: errors.length }), { type: 'error' });
      } else throw err;
    }
  };

  const openDraft = async (id: number) => {
    const d = await processApi.draft(key, id);
    await modelerRef.current.importXML(d.xml);
    setForms(d.forms);
    setTab(0);
  };

  return (
    <Box sx={{ mt: 1 }}>
      <Title title={translate('app.processes.title', { name: detail?.name ?? key })} />
      <Stack direction="row" spacing={1} useFlexGap sx={{ mb: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h6" data-testid="process-title">
          {detail?.name} {detail?.version ? <Chip size="small" label={`v${detail.version}`} data-testid="process-current-version" /> : null}
        </Typography>
        <Box sx={{ flex: 1 }} />
        <TextField
          size="small"
          label={translate('app.processes.comment')}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': 'draft-comment', maxLength: 1000 } }}
          sx={{ minWidth: 280 }}
        />
        <Button variant="outlined" disabled={busy} onClick={() => run(lint)()} data-testid="process-lint">
          {translate('app.processes.lint')}
        </Button>
        <Button variant="outlined" disabled={busy} onClick={() => run(saveDraft)()} data-testid="process-save">
          {translate('app.processes.save_draft')}
        </Button>
        <Button variant="contained" disabled={busy} onClick={() => run(previewDeploy)()} data-testid="process-deploy">
          {translate('app.processes.deploy')}
        </Button>
        <Button href={processApi.exportUrl(key)} data-testid="process-export">
          {translate('app.processes.export')}
        </Button>
      </Stack>
      {impact && <DeployImpactDialog impact={impact} busy={busy} onCancel={() => setImpact(null)} onConfirm={() => void run(() => deployDraft(impact.draftId))()} />}
      <Tabs value={tab} onChange={(_, v: number) => setTab(v)} sx={{ mb: 1 }}>
        <Tab label={translate('app.processes.tab_diagram')} data-testid="tab-diagram" />
        <Tab label={translate('app.processes.tab_forms')} data-testid="tab-forms" />
        <Tab label={translate('app.processes.tab_versions')} data-testid="tab-versions" />
      </Tabs>
      <Box sx={{ display: tab === 0 ? 'flex' : 'none', gap: 1, height: 560 }}>
        <Box ref={canvasRef} data-testid="bpmn-modeler" sx={{ flex: 1, border: '1px solid', borderColor: 'divider', borderRadius: 1, bgcolor: '#fff', ...diagramCss }} />
        <Box ref={panelRef} data-testid="properties-panel" sx={{ width: 360, overflow: 'auto', border: '1px solid', borderColor: 'divider', borderRadius: 1, bgcolor: '#fff' }} />
      </Box>
      {tab === 0 && findings && (
        <Card variant="outlined" sx={{ mt: 1 }} data-testid="lint-findings">
          <CardContent>
            <Typography variant="subtitle2">{translate('app.processes.findings')}</Typography>
            {findings.length === 0 ? (
              <Alert severity="success">{translate('app.processes.no_findings')}</Alert>
            ) : (
              <List dense>
                {findings.map((f, i) => (
                  <ListItem key={i} data-testid="lint-finding" onClick={() => selectElement(modelerRef.current, f.path)} sx={{ cursor: 'pointer' }}>
                    <Chip size="small" color={f.severity === 'error' ? 'error' : 'warning'} label={translate(`app.processes.${f.severity}`)} sx={{ mr: 1 }} />
                    <ListItemText primary={f.message} secondary={`${f.path}${f.rule ? ` · ${f.rule}` : ''}`} />
                  </ListItem>
                ))}
              </List>
            )}
          </CardContent>
        </Card>
      )}
      {tab === 1 && (
        <Suspense fallback={<Loading />}>
          <FormsEditor forms={forms} onChange={setForms} />
        </Suspense>
      )}
      {tab === 2 && detail && <VersionsPanel processKey={key} detail={detail} drafts={drafts} onOpenDraft={(id) => void openDraft(id)} />}
    </Box>
  );
}

function selectElement(modeler: any, id: string) {
  const element = modeler?.get('elementRegistry').get(id);
  if (element) modeler.get('selection').select(element);
}

function VersionsPanel({ processKey, detail, drafts, onOpenDraft }: { processKey: string; detail: ProcessDetail; drafts: DraftInfo[]; onOpenDraft: (id: number) => void }) {
  const translate = useTranslate();
  const displayName = useDisplayName();
  const notify = useNotify();
  const refs = [
    { value: 'current', label: translate('app.processes.current') },
    ...detail.versions.filter((v) => v.hasContent).map((v) => ({ value: `v${v.version}`, label: `${translate('app.processes.version')} ${v.version}` })),
    ...drafts.map((d) => ({ value: `d${d.id}`, label: `${translate('app.processes.draft')} ${d.id}${d.comment ? ` – ${d.comment}` : ''}` })),
  ];
  const [from, setFrom] = useState(refs[2]?.value ?? refs[1]?.value ?? 'current');
  const [to, setTo] = useState('current');
  const [diff, setDiff] = useState<ProcessDiff>();
  const [toXml, setToXml] = useState<string>();
  const viewerRef = useRef<HTMLDivElement>(null);

  const compare = async () => {
    try {
      setDiff(await processApi.diff(processKey, from, to));
      if (to === 'current') setToXml(detail.xml);
      else if (to.startsWith('v')) setToXml((await processApi.version(processKey, Number(to.slice(1)))).xml);
      else setToXml((await processApi.draft(processKey, Number(to.slice(1)))).xml);
    } catch (err) {
      notify(await errorMessage(err), { type: 'error' });
    }
  };

  useEffect(() => {
    if (!viewerRef.current || !toXml || !diff) return;
    const viewer = new NavigatedViewer({ container: viewerRef.current, moddleExtensions: { zeebe: zeebeModdle } });
    void viewer.importXML(toXml).then(() => {
      const canvas = viewer.get<any>('canvas');
      const registry = viewer.get<any>('elementRegistry');
      const mark = (list: Array<{ id: string }>, cls: string) => list.forEach((e) => registry.get(e.id) && canvas.addMarker(e.id, cls));
      mark(diff.layoutChanged, 'bo-layout');
      mark(diff.changed, 'bo-changed');
      mark(diff.added, 'bo-added');
      canvas.zoom('fit-viewport', 'auto');
    });
    return () => viewer.destroy();
  }, [toXml, diff]);

  const group = (label: string, items: Array<{ id: string; name: string | null; attrs?: string[] }>, testId: string) =>
    items.length > 0 && (
      <Box data-testid={testId}>
        <Typography variant="subtitle2">{label}</Typography>
        <List dense>
          {items.map((e) => (
            <ListItem key={e.id}>
              <ListItemText primary={e.name ? `${e.name} (${e.id})` : e.id} secondary={e.attrs?.join(', ')} />
            </ListItem>
          ))}
        </List>
      </Box>
    );

  return (
    <Stack spacing={2}>
      <Card variant="outlined">
        <CardContent>
          <Typography variant="subtitle2">{translate('app.processes.deployed_versions')}</Typography>
          <List dense data-testid="version-history">
            {detail.versions.map((v) => (
              <ListItem
                key={v.version}
                secondaryAction={
                  v.hasContent ? (
                    <Button size="small" href={processApi.exportUrl(processKey, v.version)}>
                      ZIP
                    </Button>
                  ) : undefined
                }
              >
                <ListItemText
                  primary={`${translate('app.processes.version')} ${v.version} · ${new Date(v.deployedAt).toLocaleString('de-CH')} ${translate('app.processes.deployed_by')} ${displayName(v.deployedBy)}`}
                  secondary={`Zeebe ${v.processDefinitionKey}`}
                />
              </ListItem>
            ))}
          </List>
          <Typography variant="subtitle2">{translate('app.processes.drafts')}</Typography>
          <List dense data-testid="draft-history">
            {drafts.map((d) => (
              <ListItem
                key={d.id}
                secondaryAction={
                  <Button size="small" onClick={() => onOpenDraft(d.id)}>
                    {translate('app.processes.open_draft')}
                  </Button>
                }
              >
                <ListItemText primary={`${translate('app.processes.draft')} ${d.id} · ${d.comment || '–'}`} secondary={`${new Date(d.createdAt).toLocaleString('de-CH')} · ${displayName(d.author)}`} />
              </ListItem>
            ))}
          </List>
        </CardContent>
      </Card>
      <Card variant="outlined">
        <CardContent>
          <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center' }}>
            <TextField select size="small" label={translate('app.processes.from')} value={from} onChange={(e) => setFrom(e.target.value)} sx={{ minWidth: 240 }}>
              {refs.map((r) => (
                <MenuItem key={r.value} value={r.value}>
                  {r.label}
                </MenuItem>
              ))}
            </TextField>
            <TextField select size="small" label={translate('app.processes.to')} value={to} onChange={(e) => setTo(e.target.value)} sx={{ minWidth: 240 }}>
              {refs.map((r) => (
                <MenuItem key={r.value} value={r.value}>
                  {r.label}
                </MenuItem>
              ))}
            </TextField>
            <Button variant="outlined" onClick={() => void compare()} data-testid="diff-compare">
              {translate('app.processes.compare')}
            </Button>
          </Stack>
          {diff && (
            <Box data-testid="diff-result">
              <Box ref={viewerRef} data-testid="diff-diagram" sx={{ height: 360, border: '1px solid', borderColor: 'divider', borderRadius: 1, bgcolor: '#fff', mb: 1, ...diagramCss }} />
              <Stack direction="row" spacing={1} sx={{ mb: 1 }}>
                <Chip size="small" sx={{ bgcolor: '#e6f4e7', border: '1px solid #2e7d32' }} label={translate('app.processes.added')} />
                <Chip size="small" sx={{ bgcolor: '#fff3e0', border: '1px solid #ef6c00' }} label={translate('app.processes.changed')} />
                <Chip size="small" sx={{ border: '1px solid #1d5a99' }} label={translate('app.processes.layout_changed')} />
              </Stack>
              {group(translate('app.processes.added'), diff.added, 'diff-added')}
              {group(translate('app.processes.removed'), diff.removed, 'diff-removed')}
              {group(translate('app.processes.changed'), diff.changed, 'diff-changed')}
              {group(translate('app.processes.layout_changed'), diff.layoutChanged, 'diff-layout')}
              {diff.forms.added.length + diff.forms.removed.length + diff.forms.changed.length > 0 && (
                <Typography variant="body2">
                  {translate('app.processes.forms_changed')}: {[...diff.forms.added.map((f) => `+${f}`), ...diff.forms.removed.map((f) => `−${f}`), ...diff.forms.changed].join(', ')}
                </Typography>
              )}
              {diff.added.length + diff.removed.length + diff.changed.length + diff.layoutChanged.length === 0 && <Alert severity="info">{translate('app.processes.no_differences')}</Alert>}
            </Box>
          )}
        </CardContent>
      </Card>
    </Stack>
  );
}
