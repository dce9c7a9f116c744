import { renderLetter } from '../workers/pdf';
const spec = { organisation: 'Stadt Luzern', department: 'Einwohnerdienste', recipient: ['Anna Muster', 'Pilatusstrasse 12', '6003 Luzern'], placeAndDate: 'Luzern, 23.11.2026', title: 'Wohnsitzbestätigung', blocks: [{ kind: 'paragraph', text: 'Hiermit wird bestätigt, dass die folgende Person in der Gemeinde wohnhaft ist.' }, { kind: 'fields', rows: [['Name', 'Anna Muster'], ['Geburtsdatum', '12.04.1985'], ['Adresse', 'Pilatusstrasse 12, 6003 Luzern']] }], footer: 'Referenz: WB-2026-000001', createdAt: new Date() } as any;
for (let i = 0; i < 30; i++) await renderLetter(spec);
const t = process.cpuUsage(); const t0 = performance.now();
for (let i = 0; i < 200; i++) await renderLetter(spec);
const u = process.cpuUsage(t);
console.log('per pdf wall ms', ((performance.now() - t0) / 200).toFixed(2), 'cpu ms', ((u.user + u.system) / 1000 / 200).toFixed(2));
