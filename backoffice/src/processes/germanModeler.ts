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
  Headers: 'Task-Header',
  Header: 'Task-Header',
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
  'Open pop-up editor': 'Im Popup bearbeiten',
  Implementation: 'Implementierung',
  'Camunda user task': 'Camunda-Benutzeraufgabe',
  'Job worker': 'Job-Worker',
  'Job type': 'Job-Typ',
  '<none>': '<keine>',
  '<empty>': '<leer>',
  Date: 'Datum',
  Duration: 'Dauer',
  Cycle: 'Zyklus',
  'Global message reference': 'Globale Nachrichtenreferenz',
  'Create new ...': 'Neu anlegen …',
  'Subscription correlation key': 'Korrelationsschlüssel',
  'FEEL expression is mandatory': 'FEEL-Ausdruck erforderlich',
  'Section contains edits': 'Abschnitt enthält Änderungen',
  'Section contains an error': 'Abschnitt enthält einen Fehler',
  'Toggle list item': 'Eintrag auf- oder zuklappen',
  'List contains {numOfItems} item': 'Liste mit {numOfItems} Eintrag',
  'List contains {numOfItems} items': 'Liste mit {numOfItems} Einträgen',
  'Click to set a dynamic value with FEEL expression': 'Klicken, um einen dynamischen Wert mit einem FEEL-Ausdruck zu setzen',
  'Click to remove dynamic value with FEEL expression': 'Klicken, um den dynamischen Wert (FEEL) zu entfernen',
  Create: 'Anlegen',
  Process: 'Prozess',
  'Sub Process': 'Teilprozess',
  'Event Based Gateway': 'Ereignisbasiertes Gateway',
  // bpmn-js-i18n writes compounds apart ("Benutzer Aufgabe") and mixes in English: German compounds
  'User task': 'Benutzeraufgabe',
  'Service task': 'Serviceaufgabe',
  'Script task': 'Skriptaufgabe',
  'Send task': 'Sendeaufgabe',
  'Receive task': 'Empfangsaufgabe',
  'Business rule task': 'Geschäftsregelaufgabe',
  'Create expanded sub-process': 'Erweiterten Teilprozess erzeugen',
};

const translations: Record<string, string> = { ...(bpmnGerman as Record<string, string>), ...propertiesPanelGerman };
/** the panel's header names types in title case ("User Task") where bpmn-js-i18n has "User task" */
const byLowerCase = new Map(Object.entries(translations).map(([en, de]) => [en.toLowerCase(), de]));

function german(template: string): string {
  const known = translations[template] ?? byLowerCase.get(template.toLowerCase());
  if (known !== undefined) return known;
  // "Timer Boundary Event (Non Interrupting)"
  const nonInterrupting = /^(.*) \(Non Interrupting\)$/.exec(template);
  return nonInterrupting ? `${german(nonInterrupting[1]!)} (nicht unterbrechend)` : template;
}

function translate(template: string, replacements: Record<string, string> = {}): string {
  return german(template).replace(/{([^}]+)}/g, (_, key: string) => replacements[key] ?? `{${key}}`);
}

export const germanTranslateModule = { translate: ['value', translate] };
