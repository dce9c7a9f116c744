/**
 * German for the modeler (issue 18): bpmn-js-i18n's translation of bpmn-js (palette, context
 * pad, replace menu) plus the properties panel's group and field labels it does not cover, as a
 * `translate` module replacing diagram-js's default.
 */
import bpmnGerman from 'bpmn-js-i18n/translations/de';

const propertiesPanelGerman: Record<string, string> = {
  General: 'Allgemein',
  Name: 'Name',
  ID: 'ID',
  Documentation: 'Dokumentation',
  'Element documentation': 'Elementdokumentation',
  'Process documentation': 'Prozessdokumentation',
  'Version tag': 'Versions-Tag',
  Executable: 'Ausführbar',
  Inputs: 'Eingaben',
  Outputs: 'Ausgaben',
  'Input mapping': 'Eingabe-Zuordnung',
  'Output mapping': 'Ausgabe-Zuordnung',
  'Local variable name': 'Lokaler Variablenname',
  'Variable assignment value': 'Zugewiesener Wert',
  'Process variable name': 'Prozessvariable',
  'Extension properties': 'Erweiterungseigenschaften',
  'Execution listeners': 'Ausführungs-Listener',
  'Task listeners': 'Task-Listener',
  Assignment: 'Zuweisung',
  Assignee: 'Zugewiesen an',
  'Candidate groups': 'Kandidatengruppen',
  'Candidate users': 'Kandidaten',
  'Due date': 'Fälligkeit',
  'Follow up date': 'Wiedervorlage',
  Form: 'Formular',
  Type: 'Typ',
  'Form key': 'Formularschlüssel',
  'Form ID': 'Formular-ID',
  'Custom form key': 'Eigener Formularschlüssel',
  'Camunda Form (linked)': 'Camunda-Formular (verknüpft)',
  'Camunda Form (embedded)': 'Camunda-Formular (eingebettet)',
  'Task definition': 'Aufgabendefinition',
  Retries: 'Wiederholungen',
  Headers: 'Header',
  Header: 'Header',
  Key: 'Schlüssel',
  Value: 'Wert',
  Condition: 'Bedingung',
  'Condition expression': 'Bedingungsausdruck',
  Timer: 'Timer',
  'Timer definition': 'Timer-Definition',
  Message: 'Nachricht',
  'Correlation key': 'Korrelationsschlüssel',
  Signal: 'Signal',
  Error: 'Fehler',
  Escalation: 'Eskalation',
  'Multi-instance': 'Mehrfachinstanz',
  'Input collection': 'Eingabe-Sammlung',
  'Input element': 'Eingabe-Element',
  'Output collection': 'Ausgabe-Sammlung',
  'Output element': 'Ausgabe-Element',
  'Completion condition': 'Abschlussbedingung',
  'Called element': 'Aufgerufenes Element',
  'Output propagation': 'Ausgabe-Weitergabe',
  Priority: 'Priorität',
  'Start initiator': 'Starter',
  Template: 'Vorlage',
  'Create new list item': 'Neuen Eintrag anlegen',
  'Delete item': 'Eintrag löschen',
  'Toggle section': 'Abschnitt auf- oder zuklappen',
  'Open popup editor': 'Im Popup bearbeiten',
};

const translations: Record<string, string> = { ...(bpmnGerman as Record<string, string>), ...propertiesPanelGerman };

function translate(template: string, replacements: Record<string, string> = {}): string {
  return (translations[template] ?? template).replace(/{([^}]+)}/g, (_, key: string) => replacements[key] ?? `{${key}}`);
}

export const germanTranslateModule = { translate: ['value', translate] };
