declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: any;
  export const BpmnPropertiesProviderModule: any;
  export const ZeebePropertiesProviderModule: any;
}
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const module: any;
  export default module;
}
declare module 'zeebe-bpmn-moddle/resources/zeebe.json' {
  const schema: any;
  export default schema;
}
declare module 'bpmn-js-i18n/translations/de' {
  const translations: Record<string, string>;
  export default translations;
}
