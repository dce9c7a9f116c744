/**
 * FEEL in Camunda Forms, evaluated the way the form-js viewer does it (same interpreter,
 * @bpmn-io/feelin, same context shape), so a field the applicant cannot see in the form is
 * also hidden here, and `=`-valued limits mean the same number.
 */
import { evaluate, unaryTest } from '@bpmn-io/feelin';

/** form-js: a FEEL expression is a string starting with "=". */
export function isFeelExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('=');
}

/** The local scope form-js keeps per repetition: the item (`this`), its parent and 1-based indexes. */
export interface FeelScope {
  this: unknown;
  parent: unknown;
  i: number[];
}

/**
 * form-js buildExpressionContext: the form data at top level, plus `this`, `parent`, `i` and
 * their `_this_`, `_parent_`, `_i_` aliases (data keys override the plain names, as there).
 */
export function expressionContext(data: Record<string, unknown>, scope: FeelScope): Record<string, unknown> {
  return {
    this: scope.this,
    parent: scope.parent,
    i: scope.i,
    ...data,
    _this_: scope.this,
    _parent_: scope.parent,
    _i_: scope.i,
  };
}

/** form-js FeelExpressionLanguage.evaluate: null for non-expressions and on any FEEL error. */
export function evaluateFeel(expression: unknown, context: Record<string, unknown>): unknown {
  if (!isFeelExpression(expression)) return null;
  try {
    return evaluate(expression.slice(1), context).value;
  } catch {
    return null;
  }
}

/**
 * form-js ConditionChecker: `conditional.hide` is a unary test; only a result of exactly true
 * hides (errors and null leave the field visible).
 */
export function isHiddenBy(hide: unknown, context: Record<string, unknown>): boolean {
  if (!isFeelExpression(hide)) return false;
  try {
    return unaryTest(hide.slice(1), context).value === true;
  } catch {
    return false;
  }
}
