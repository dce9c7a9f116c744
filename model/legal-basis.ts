/**
 * The legal form of decisions (issue 16 item 4; VRG SRL Nr. 40): every negative or partial
 * decision and every fee assessment names its legal basis, gives reasons and a
 * Rechtsmittelbelehrung (remedy, instance, deadline). One entry per service, each with its source.
 *
 * Sources read (research notes of 2026-12-02; what could not be verified is said next to it):
 * - VRG § 142 Abs. 1 lit. b: "beim sachlich zuständigen Departement [können] Entscheide der
 *   obersten Verwaltungsinstanz von Gemeinden … mit Verwaltungsbeschwerde angefochten werden"
 *   (quoted in LGVE 1998 III Nr. 3, gerichte.lu.ch). That a decision of the Einwohnerdienste goes
 *   to the Justiz- und Sicherheitsdepartement: LGVE 2024 VI Nr. 4 (JSD 2024 2, Einwohnerkontrolle).
 *   Not verified: whether a decision of an office below the Gemeinderat goes to the Gemeinderat
 *   first (municipal Gemeindeordnung); the current wording of § 130 VRG (deadline): 30 days as
 *   the issue and practice state (KPMG 2020 on Lucerne's "30-tägigen Fristen"); the stored VRG
 *   copy is of 2010, when it was 20 days (VGer LU V 09 53).
 * - VRG § 133 Abs. 1: the appeal "muss einen bestimmten Antrag und dessen Begründung enthalten"
 *   (quoted in LU-GSD 2008 19).
 * - SchKG (SR 281.1) Art. 17: Beschwerde "binnen zehn Tagen" to the supervisory authority; in
 *   Lucerne the Bezirksgericht is the lower supervisory authority (konkursamt.lu.ch, "Aufsichtsbehörde SchKG").
 * - Fees: GebV SchKG (SR 281.35) Art. 12a (CHF 17, CHF 18 delivered); Hundegesetz SRL Nr. 848
 *   § 5 (every dog older than six months) and § 6 (CHF 120); Parkkartenreglement der Stadt Luzern
 *   vom 1. Juli 2015 (CHF 60 a month, CHF 600 a year, stadtluzern.ch); certificates and register
 *   extracts are Verwaltungsgebühren (Gebührengesetz SRL Nr. 680 § 3: "schriftliche
 *   Bescheinigungen, Registerauszüge") at the municipality's tariff (Verordnung über den
 *   Gebührenbezug der Gemeinden, SRL Nr. 687; the tariff line was not verified).
 * - Moves: 14 days, RHG (SR 431.02) Art. 11 lit. a; Lucerne duty to report: NG (SRL Nr. 5) § 2a.
 * - Not found in a stored source (the general VRG route is printed): the remedies of the
 *   Hundegesetz, the Parkkartenreglement and the KDSG; the KDSG paragraphs on disclosure and the
 *   data lock; whether refusing a tax-return extension can be contested (StG SRL Nr. 620).
 * Unverified paragraph numbers are not printed: the law is named without a § where only the law is known.
 */

export interface Remedy {
  /** "Verwaltungsbeschwerde", "Beschwerde nach Art. 17 SchKG" */
  name: string;
  /** where it is lodged, as printed after "beim"/"bei der" */
  instance: string;
  days: number;
  /** the legal basis of the remedy, as printed */
  basis: string;
  /** when the deadline starts, as printed */
  from: string;
  /** what is contested, as printed: "diesen Entscheid", or "diese Verfügung" of a debt-enforcement office */
  against?: string;
}

export interface ServiceLaw {
  /** the legal basis of the service's decisions, as printed */
  decision: string;
  /** the legal basis of its fee, as printed (none: the service charges nothing) */
  fee?: string;
  remedy: Remedy;
  /**
   * Printed instead of a remedy where the decision cannot be challenged on its own (a tax
   * deadline is a procedural order). Not verified for Lucerne: the general Swiss rule.
   */
  remedyNote?: string;
}

const VRG_DEADLINE_DAYS = 30;

/** Verwaltungsbeschwerde to a department of the canton (VRG § 142 Abs. 1 lit. b). */
function verwaltungsbeschwerde(department: string): Remedy {
  return {
    name: 'Verwaltungsbeschwerde',
    instance: department,
    days: VRG_DEADLINE_DAYS,
    basis: '§§ 130, 133 und 142 Abs. 1 lit. b des Gesetzes über die Verwaltungsrechtspflege (VRG, SRL Nr. 40)',
    from: 'seit Zustellung',
  };
}

/** The department for the resident register (Niederlassungswesen): LGVE 2024 VI Nr. 4. */
const JSD = 'Justiz- und Sicherheitsdepartement des Kantons Luzern';
/** Where only the law's own words are verified, they are printed. */
const COMPETENT_DEPARTMENT = 'sachlich zuständigen Departement des Kantons Luzern';

export const SERVICE_LAW: Record<string, ServiceLaw> = {
  wohnsitzbestaetigung: {
    decision: 'Gesetz über die Niederlassung und den Aufenthalt (NG, SRL Nr. 5), § 2a; Einwohnerregister der Gemeinde',
    fee: 'Gebührengesetz (SRL Nr. 680) § 3 und Gebührentarif der Gemeinde',
    remedy: verwaltungsbeschwerde(JSD),
  },
  umzug: {
    decision: 'Gesetz über die Niederlassung und den Aufenthalt (NG, SRL Nr. 5), § 2a (Meldepflicht); Registerharmonisierungsgesetz (RHG, SR 431.02), Art. 11',
    fee: 'Gebührentarif der Gemeinde',
    remedy: verwaltungsbeschwerde(JSD),
  },
  adressauskunft: {
    decision: 'Kantonales Datenschutzgesetz (KDSG, SRL Nr. 38); Gesetz über die Niederlassung und den Aufenthalt (NG, SRL Nr. 5) und Vollziehungsverordnung (SRL Nr. 6)',
    fee: 'Gebührengesetz (SRL Nr. 680) § 3 und Gebührentarif der Gemeinde',
    remedy: verwaltungsbeschwerde(JSD),
  },
  datensperre: {
    decision: 'Kantonales Datenschutzgesetz (KDSG, SRL Nr. 38); Datenschutzreglement der Gemeinde',
    remedy: verwaltungsbeschwerde(JSD),
  },
  betreibungsregisterauszug: {
    decision: 'Art. 8a des Bundesgesetzes über Schuldbetreibung und Konkurs (SchKG, SR 281.1)',
    fee: 'Art. 12a der Gebührenverordnung zum SchKG (GebV SchKG, SR 281.35)',
    remedy: {
      name: 'Beschwerde nach Art. 17 SchKG',
      instance: 'für das Betreibungsamt zuständigen Bezirksgericht als unterer Aufsichtsbehörde',
      days: 10,
      basis: 'Art. 17 SchKG (SR 281.1)',
      from: 'seit Kenntnis',
      against: 'diese Verfügung',
    },
  },
  'fristerstreckung-steuern': {
    decision: 'Steuergesetz des Kantons Luzern (StG, SRL Nr. 620) und Luzerner Steuerbuch Band 2, «Frist zur Einreichung der Steuererklärung»',
    remedy: {
      name: 'Einsprache',
      instance: 'Veranlagungsbehörde',
      days: VRG_DEADLINE_DAYS,
      basis: 'Steuergesetz des Kantons Luzern (StG, SRL Nr. 620)',
      from: 'seit Zustellung der Veranlagungsverfügung',
    },
    remedyNote:
      'Die Gewährung oder Verweigerung einer Fristerstreckung ist eine verfahrensleitende Anordnung und kann nicht selbständig angefochten werden. Einwände können Sie mit der Einsprache gegen die Veranlagungsverfügung erheben.',
  },
  hundeanmeldung: {
    decision: 'Gesetz über das Halten von Hunden (SRL Nr. 848) und Verordnung (SRL Nr. 849)',
    fee: 'Gesetz über das Halten von Hunden (SRL Nr. 848), §§ 5 und 6: Hundesteuer CHF 120 im Jahr, für Hofhunde CHF 40',
    remedy: verwaltungsbeschwerde(COMPETENT_DEPARTMENT),
  },
  anwohnerparkkarte: {
    decision: 'Parkkartenreglement der Stadt Luzern vom 1. Juli 2015, Art. 3',
    fee: 'Parkkartenreglement der Stadt Luzern vom 1. Juli 2015: CHF 60 im Monat, CHF 600 im Jahr',
    remedy: verwaltungsbeschwerde(COMPETENT_DEPARTMENT),
  },
};

/** A service without its own entry (a process owner's new service): the general VRG route. */
const GENERAL: ServiceLaw = {
  decision: 'Gesetz über die Verwaltungsrechtspflege (VRG, SRL Nr. 40) und die Gesetzgebung des Sachgebiets',
  fee: 'Gebührentarif der verfügenden Behörde',
  remedy: verwaltungsbeschwerde(COMPETENT_DEPARTMENT),
};

export function serviceLaw(serviceKey: string): ServiceLaw {
  return SERVICE_LAW[serviceKey] ?? GENERAL;
}

/** The Rechtsmittelbelehrung as printed. */
export function remedyText(law: ServiceLaw): string {
  if (law.remedyNote) return `${law.remedyNote} Die Einsprachefrist beträgt ${law.remedy.days} Tage ${law.remedy.from} (${law.remedy.basis}).`;
  const r = law.remedy;
  return (
    `Gegen ${r.against ?? 'diesen Entscheid'} kann innert ${r.days} Tagen ${r.from} beim ${r.instance} schriftlich ${r.name} erhoben werden (${r.basis}). ` +
    'Die Rechtsschrift muss einen Antrag und dessen Begründung enthalten; dieser Entscheid ist beizulegen.'
  );
}
