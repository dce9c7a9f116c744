/**
 * German for the form-js editor (issue 18), and the tooltips of the BPMN properties panel. form-js 1.x has no translation module
 * (bpmn-io/form-js#77 is open): its palette, properties panel and hints are English literals in
 * Preact components. So the editor's own chrome (palette, properties panel, empty-form hint) is
 * translated in the DOM, text nodes and placeholder/title/aria-label, from this dictionary,
 * again whenever Preact renders new nodes. The form being edited (the canvas) is never touched:
 * its labels are the author's.
 */

const german: Record<string, string> = {
  // palette
  Components: 'Komponenten',
  'Search components': 'Komponenten suchen',
  'Clear content': 'Suche leeren',
  'No components found.': 'Keine Komponenten gefunden.',
  Input: 'Eingabe',
  Selection: 'Auswahl',
  Presentation: 'Darstellung',
  Containers: 'Container',
  Action: 'Aktion',
  'Text field': 'Textfeld',
  'Text area': 'Textbereich',
  Number: 'Zahl',
  Date: 'Datum',
  'Date time': 'Datum und Zeit',
  Checkbox: 'Kontrollkästchen',
  'Checkbox group': 'Kontrollkästchengruppe',
  'Radio group': 'Optionsfeldgruppe',
  Select: 'Auswahlliste',
  'Tag list': 'Schlagwortliste',
  'Text view': 'Text',
  'Image view': 'Bild',
  'HTML view': 'HTML',
  'Document preview': 'Dokumentvorschau',
  'File picker': 'Dateiauswahl',
  Spacer: 'Abstand',
  Separator: 'Trennlinie',
  Group: 'Gruppe',
  'Dynamic list': 'Dynamische Liste',
  Table: 'Tabelle',
  Button: 'Schaltfläche',
  Expression: 'Ausdruck',
  // empty form
  'Build your form': 'Formular aufbauen',
  'Drag and drop components here to start designing.': 'Ziehen Sie Komponenten hierher, um das Formular zu gestalten.',
  'Drag and drop components here.': 'Komponenten hierher ziehen.',
  'Use the preview window to test your form.': 'Testen Sie das Formular in der Vorschau.',
  // properties panel: groups
  General: 'Allgemein',
  Condition: 'Bedingung',
  Validation: 'Validierung',
  Appearance: 'Darstellung',
  Constraints: 'Einschränkungen',
  Serialization: 'Serialisierung',
  'Custom properties': 'Eigene Eigenschaften',
  Options: 'Optionen',
  'Options source': 'Herkunft der Optionen',
  'Static options': 'Feste Optionen',
  'Dynamic options': 'Dynamische Optionen',
  'Options expression': 'Ausdruck für die Optionen',
  'Security attributes': 'Sicherheitsattribute',
  Pagination: 'Seitenweise Anzeige',
  'Header items': 'Spaltenköpfe',
  'Headers source': 'Herkunft der Spaltenköpfe',
  'Data source': 'Datenquelle',
  // properties panel: entries
  'Field label': 'Feldbezeichnung',
  'Field description': 'Feldbeschreibung',
  Label: 'Bezeichnung',
  Description: 'Beschreibung',
  Key: 'Schlüssel',
  'Binds to a form variable': 'Bindet an eine Formularvariable',
  Path: 'Pfad',
  'Default value': 'Standardwert',
  Value: 'Wert',
  Type: 'Typ',
  Subtype: 'Untertyp',
  Required: 'Pflichtfeld',
  Disabled: 'Deaktiviert',
  'Read only': 'Nur lesen',
  Searchable: 'Durchsuchbar',
  'Minimum length': 'Minimale Länge',
  'Maximum length': 'Maximale Länge',
  'Validation pattern': 'Prüfmuster',
  'Custom regular expression': 'Eigener regulärer Ausdruck',
  'Custom error message': 'Eigene Fehlermeldung',
  Custom: 'Eigenes',
  Email: 'E-Mail',
  Phone: 'Telefon',
  Prefix: 'Präfix',
  'Decimal digits': 'Nachkommastellen',
  Increment: 'Schrittweite',
  'Output as string': 'Als Text ausgeben',
  'Allows arbitrary precision values': 'Erlaubt Werte beliebiger Genauigkeit',
  'Date label': 'Bezeichnung des Datums',
  'Time label': 'Bezeichnung der Zeit',
  'Time format': 'Zeitformat',
  'Time interval': 'Zeitintervall',
  'Use 24h': '24-Stunden-Format',
  'Disallow past dates': 'Keine vergangenen Daten',
  Checked: 'Angekreuzt',
  'Not checked': 'Nicht angekreuzt',
  Columns: 'Spalten',
  Column: 'Spalte',
  Auto: 'Automatisch',
  Height: 'Höhe',
  'Vertical alignment': 'Vertikale Ausrichtung',
  Top: 'Oben',
  Center: 'Mitte',
  Bottom: 'Unten',
  'Alternative text': 'Alternativtext',
  'Image source': 'Bildquelle',
  Content: 'Inhalt',
  'Show outline': 'Rahmen anzeigen',
  'Version tag': 'Versions-Tag',
  'Hide if': 'Ausblenden, wenn',
  'Supported file formats': 'Erlaubte Dateiformate',
  'Upload multiple files': 'Mehrere Dateien hochladen',
  'Allow add/delete items': 'Einträge hinzufügen und löschen erlauben',
  'Default number of items': 'Standardanzahl der Einträge',
  'Disable collapse': 'Zuklappen verhindern',
  'Number of non-collapsing items': 'Anzahl nicht zugeklappter Einträge',
  'Number of rows per page': 'Zeilen pro Seite',
  Submit: 'Absenden',
  Reset: 'Zurücksetzen',
  'Compute on': 'Berechnen bei',
  'Value changes': 'Wertänderung',
  'Form submission': 'Absenden des Formulars',
  // properties panel chrome (also in @bpmn-io/properties-panel)
  'Toggle section': 'Abschnitt auf- oder zuklappen',
  'Section contains edits': 'Abschnitt enthält Änderungen',
  'Section contains an error': 'Abschnitt enthält einen Fehler',
  'Create new list item': 'Neuen Eintrag anlegen',
  'Delete item': 'Eintrag löschen',
  'Toggle list item': 'Eintrag auf- oder zuklappen',
  'Open pop-up editor': 'Im Popup bearbeiten',
  'Click to set a dynamic value with FEEL expression': 'Klicken, um einen dynamischen Wert mit einem FEEL-Ausdruck zu setzen',
  'Click to remove dynamic value with FEEL expression': 'Klicken, um den dynamischen Wert (FEEL) zu entfernen',
  'FEEL expression is mandatory': 'FEEL-Ausdruck erforderlich',
  Create: 'Anlegen',
  Form: 'Formular',
  Time: 'Zeit',
  'Date & Time': 'Datum und Zeit',
  Static: 'Fest',
  'Input data': 'Eingabedaten',
  'Condition under which the field is hidden': 'Bedingung, unter der das Feld verborgen ist',
  'Add properties directly to the form schema, useful to configure functionality in custom-built task applications and form renderers.':
    'Eigenschaften direkt im Formularschema, etwa für eigene Aufgaben-Anwendungen und Formular-Darstellungen.',
  '<empty>': '<leer>',
  '<none>': '<keine>',
};

/** Texts the editor composes from a component name ("Create a Text field element"). */
const patterns: Array<[RegExp, (name: string) => string]> = [
  [/^Create an? (.+) element$/, (name) => `${name} hinzufügen`],
  [/^Remove (.+)$/, (name) => `${name} entfernen`],
  [/^List contains (\d+) items?$/, (n) => `Liste mit ${n} ${n === '1' ? 'Eintrag' : 'Einträgen'}`],
];

function germanText(text: string): string | undefined {
  const de = german[text];
  if (de !== undefined) return de;
  for (const [pattern, compose] of patterns) {
    const match = pattern.exec(text);
    if (match) return compose(german[match[1]!] ?? match[1]!);
  }
  return undefined;
}

/** The German text, or undefined when there is nothing to change (a write would be observed again) */
const germanOf = (text: string): string | undefined => {
  const trimmed = text.trim();
  const de = germanText(trimmed);
  return de === undefined || de === trimmed ? undefined : text.replace(trimmed, de);
};

/** The form editor's chrome; the form canvas (the author's labels) lies outside these. */
const FORM_EDITOR_CHROME = '.fjs-palette, .fjs-properties-panel, .fjs-empty-editor';
const ATTRIBUTES = ['placeholder', 'title', 'aria-label'];

interface Scope {
  /** the selector of the parts to translate */
  chrome: string;
  /** text nodes too, not only the attributes */
  text: boolean;
}

function translateElement(element: Element): void {
  for (const name of ATTRIBUTES) {
    const value = element.getAttribute(name);
    const de = value === null ? undefined : germanOf(value);
    if (de !== undefined) element.setAttribute(name, de);
  }
}

function translateTree(node: Node, scope: Scope): void {
  const inChrome = (n: Node) => Boolean((n instanceof Element ? n : n.parentElement)?.closest(scope.chrome));
  if (!inChrome(node) && !(node instanceof Element && node.querySelector(scope.chrome))) return;
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | (scope.text ? NodeFilter.SHOW_TEXT : 0));
  for (let n: Node | null = walker.currentNode; n; n = walker.nextNode()) {
    if (!inChrome(n)) continue;
    if (n instanceof Element) translateElement(n);
    else if (scope.text) {
      const de = germanOf(n.nodeValue ?? '');
      if (de !== undefined) n.nodeValue = de;
    }
  }
}

function translateUnder(root: HTMLElement, scope: Scope): () => void {
  translateTree(root, scope);
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'childList') r.addedNodes.forEach((n) => translateTree(n, scope));
      else translateTree(r.target, scope);
    }
  });
  observer.observe(root, { subtree: true, childList: true, characterData: scope.text, attributes: true, attributeFilter: ATTRIBUTES });
  return () => observer.disconnect();
}

/** Translates the form editor under `root` now and whenever it renders; returns the stop function. */
export const germanFormEditor = (root: HTMLElement) => translateUnder(root, { chrome: FORM_EDITOR_CHROME, text: true });

/**
 * The tooltips of the BPMN properties panel that its translate module does not reach
 * ("Section contains edits", "Toggle section"); its texts go through germanModeler.ts.
 */
export const germanPanelTooltips = (root: HTMLElement) => translateUnder(root, { chrome: '.bio-properties-panel', text: false });
