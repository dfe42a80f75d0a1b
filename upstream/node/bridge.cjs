'use strict';
// One Node process per validation run: parse expressions with DHIS2's own parsers and run
// program rule test cases through DHIS2's rule engine (@dhis2/rule-engine, the engine that
// Android Capture and the web Capture app run). Reads one JSON request on stdin, writes one
// JSON answer on stdout. stdout carries nothing else: console output of the engines goes to
// stderr, because the rule engine logs through console.info/console.error.
//
// Request: {"expressions": [ExpressionJob], "evaluations": [EvaluationJob]}
// Answer:  {"expressions": [ExpressionResult], "evaluations": [EvaluationResult], "versions": {...}}
// The shapes are documented in engines.py. With `--lines` (the roster validator's
// connector/roster/rules.py): one EvaluationJob a line in, one EvaluationResult a line out.

const toStderr = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
console.log = toStderr;
console.info = toStderr;
console.warn = toStderr;
console.debug = toStderr;
const engineErrors = [];
console.error = (...args) => {
  engineErrors.push(args.map(String).join(' '));
  toStderr(...args);
};

// The engine parses a rule's condition and action data again for every record it evaluates
// (RuleConditionEvaluator.process: `new Expression(...)`), which is most of its time on a
// roster. A parsed expression is a syntax tree that evaluation only reads, so the bridge keeps
// one per text and mode: the parser module the engine bundles is loaded first and its
// Expression constructor is wrapped before the engine takes it. Should a later engine build
// name it differently, nothing is wrapped and every record parses again (slower, same answers).
const expressionCache = new Map();
(function cacheParsedExpressions() {
  const path = require('path');
  let bundled;
  try {
    bundled = require(path.join(path.dirname(require.resolve('@dhis2/rule-engine')), 'expression-parser.js'));
  } catch (error) {
    return;
  }
  const exports = bundled && bundled.$_$;
  const Expression = exports && exports.k;
  if (typeof Expression !== 'function' || Expression.name !== 'Expression') return;
  function CachedExpression(expression, mode, annotate) {
    let byText = expressionCache.get(mode);
    if (byText === undefined) expressionCache.set(mode, (byText = new Map()));
    const key = (annotate ? '1' : '0') + expression;
    let parsed = byText.get(key);
    if (parsed === undefined) {
      parsed = new Expression(expression, mode, annotate);  // a parse error throws, and is not kept
      byText.set(key, parsed);
    }
    return parsed;
  }
  CachedExpression.prototype = Expression.prototype;
  exports.k = CachedExpression;
})();

const ruleEngineModule = require('@dhis2/rule-engine');
const parserModule = require('@dhis2/expression-parser');
const joda = require('@js-joda/core');

const RULES = ruleEngineModule.org.hisp.dhis.rules;
const MODELS = RULES.models;
// Rule conditions and action data: the parser bundled in the rule engine (it is newer than the
// standalone 1.1.0 and knows functions such as d2:contains).
const RULE_EXPR = ruleEngineModule.org.hisp.dhis.lib.expression;
// Program indicator expressions and filters: the standalone parser.
const PI_EXPR = parserModule.org.hisp.dhis.lib.expression;

// Program variables (V{...}) and their value types, as DHIS2's rule engine knows them
// (ProgramVariable enum of the parser; RuleVariableValueMapBuilder of the engine).
const PROGRAM_VARIABLE_TYPES = {
  analytics_period_end: 'DATE', analytics_period_start: 'DATE', completed_date: 'DATE',
  creation_date: 'DATE', current_date: 'DATE', due_date: 'DATE', enrollment_count: 'NUMBER',
  enrollment_date: 'DATE', enrollment_id: 'STRING', enrollment_status: 'STRING',
  environment: 'STRING', event_count: 'NUMBER', scheduled_event_count: 'NUMBER',
  event_date: 'DATE', scheduled_date: 'DATE', event_id: 'STRING', event_status: 'STRING',
  execution_date: 'DATE', incident_date: 'DATE', org_unit_count: 'NUMBER', org_unit: 'STRING',
  orgunit_code: 'STRING', program_name: 'STRING', program_stage_id: 'STRING',
  program_stage_name: 'STRING', sync_date: 'DATE', tei_count: 'NUMBER', value_count: 'NUMBER',
  zero_pos_value_count: 'NUMBER',
};

function firstLine(message) {
  return String(message || '').split('\n')[0];
}

// IllegalExpressionException keeps its issues in name-mangled fields; each issue prints as
// "Issue(position=..., message=...)". Collect the messages without naming the fields.
function issuesOf(error) {
  const messages = [];
  for (const key of Object.getOwnPropertyNames(error)) {
    if (key === 'message' || key === 'stack' || key === 'name' || key === 'cause') continue;
    const text = String(error[key]);
    const pattern = /Issue\([\s\S]*?message=([\s\S]*?)\)(?=, Issue\(|\]$)/g;
    let match;
    while ((match = pattern.exec(text)) !== null) messages.push(match[1]);
  }
  return messages;
}

function parseExpression(job) {
  const lib = job.engine === 'parser' ? PI_EXPR : RULE_EXPR;
  const result = { id: job.id, ok: true, stage: null, error: null, issues: [] };
  let expression;
  try {
    expression = new lib.js.ExpressionJs(job.expression, lib.ExpressionMode.valueOf(job.mode));
  } catch (error) {
    return { ...result, ok: false, stage: 'parse', error: String(error.message || error) };
  }
  try {
    result.variables = expression.collectProgramRuleVariableNames();
    result.programVariables = expression.collectProgramVariablesNames();
    result.uids = expression.collectUIDs().map((id) => ({ type: id.type.name, value: id.value }));
    result.dataItems = expression.collectDataItems().map((item) => ({
      type: item.type.name,
      uid0: item.uid0.value,
      uid1: item.uid1.map((id) => id.value),
      uid2: item.uid2.map((id) => id.value),
    }));
  } catch (error) {
    return { ...result, ok: false, stage: 'collect', error: String(error.message || error) };
  }
  if (job.validate) {
    const types = new Map(Object.entries(PROGRAM_VARIABLE_TYPES));
    for (const [name, type] of Object.entries(job.types || {})) types.set(name, type);
    try {
      expression.validate(types);
    } catch (error) {
      // "0 error(s), N warning(s)": the expression works; the warnings are worth reading.
      if (/^0 error\(s\)/.test(firstLine(error.message))) {
        return { ...result, warnings: issuesOf(error) };
      }
      return { ...result, ok: false, stage: 'validate', error: firstLine(error.message), issues: issuesOf(error) };
    }
  }
  return result;
}

// --- rule evaluation ---------------------------------------------------------------------

function instantOf(value) {
  if (!value) return null;
  const text = String(value);
  return joda.Instant.parse(/T/.test(text) ? (/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : text + 'Z') : text + 'T00:00:00Z');
}

function localDateOf(value) {
  if (!value) return null;
  return joda.LocalDate.parse(String(value).slice(0, 10));
}

// The engine reads "today" from js-joda's UTC system clock (kotlinx-datetime Clock.System);
// a test case that names a day gets a clock fixed at noon UTC of that day.
const realSystemUTC = joda.Clock.systemUTC;
function fixToday(today) {
  if (today) {
    const fixed = joda.Clock.fixed(joda.Instant.parse(String(today).slice(0, 10) + 'T12:00:00Z'), joda.ZoneOffset.UTC);
    joda.Clock.systemUTC = () => fixed;
  } else {
    joda.Clock.systemUTC = realSystemUTC;
  }
}

function toRule(rule) {
  const actions = (rule.actions || []).map((action) => {
    const values = new Map();
    for (const key of ['field', 'content', 'attributeType', 'location']) {
      if (action[key] !== undefined && action[key] !== null) values.set(key, String(action[key]));
    }
    return new RULES.RuleActionJs(action.data === undefined ? null : action.data, action.type, values);
  });
  return new RULES.RuleJs(rule.condition || '', actions, rule.uid, rule.name || null,
    rule.programStage || null, rule.priority === undefined ? null : rule.priority);
}

function toVariable(variable) {
  return new RULES.RuleVariableJs(
    RULES.RuleVariableType.valueOf(variable.type),
    variable.name,
    Boolean(variable.useCodeForOptionSet),
    (variable.options || []).map(([name, code]) => new MODELS.Option(name, code)),
    variable.field || '',
    MODELS.RuleValueType.valueOf(variable.valueType || 'TEXT'),
    variable.programStage || null,
  );
}

function toEnrollment(enrollment) {
  if (!enrollment) return null;
  const attributes = Object.entries(enrollment.attributes || {}).map(
    ([uid, value]) => new MODELS.RuleAttributeValue(uid, String(value)));
  return new RULES.RuleEnrollmentJs(
    enrollment.uid, enrollment.programName || '',
    localDateOf(enrollment.occurredAt || enrollment.enrolledAt),
    localDateOf(enrollment.enrolledAt),
    MODELS.RuleEnrollmentStatus.valueOf(enrollment.status || 'ACTIVE'),
    enrollment.orgUnit || '', enrollment.orgUnitCode || null, attributes);
}

function toEvent(event) {
  const dataValues = Object.entries(event.dataValues || {}).map(
    ([uid, value]) => new MODELS.RuleDataValue(uid, String(value)));
  const eventDate = instantOf(event.eventDate);
  return new RULES.RuleEventJs(
    event.uid, event.stage, event.stageName || '',
    MODELS.RuleEventStatus.valueOf(event.status || 'ACTIVE'),
    eventDate, instantOf(event.createdDate) || eventDate || joda.Instant.now(),
    localDateOf(event.dueDate), localDateOf(event.completedDate),
    event.orgUnit || '', event.orgUnitCode || null, dataValues);
}

function mapToObject(map) {
  const out = {};
  if (!map) return out;
  if (typeof map.forEach === 'function') map.forEach((value, key) => { out[key] = value; });
  return out;
}

function evaluate(job) {
  engineErrors.length = 0;
  try {
    fixToday(job.today);
    const context = new RULES.RuleEngineContextJs(
      (job.rules || []).map(toRule),
      (job.variables || []).map(toVariable),
      new Map(Object.entries(job.supplementaryData || {})),
      new Map(Object.entries(job.constants || {}).map(([key, value]) => [key, String(value)])),
    );
    const engine = new RULES.RuleEngineJs(false);
    const enrollment = toEnrollment(job.enrollment);
    const events = (job.events || []).map(toEvent);
    const results = engine.evaluateAll(enrollment, events, context);
    const effects = [];
    for (const target of results) {
      if (job.target && (target.trackerObjectUid !== job.target.uid)) continue;
      for (const effect of target.ruleEffects) {
        const values = mapToObject(effect.ruleAction.values);
        effects.push({
          ruleId: effect.ruleId,
          type: effect.ruleAction.type,
          data: effect.data === undefined ? null : effect.data,
          actionData: effect.ruleAction.data === undefined ? null : effect.ruleAction.data,
          field: values.field === undefined ? null : values.field,
          content: values.content === undefined ? null : values.content,
          attributeType: values.attributeType === undefined ? null : values.attributeType,
          trackerObjectType: target.trackerObjectType.name,
          trackerObjectUid: target.trackerObjectUid,
        });
      }
    }
    return { id: job.id, ok: true, error: null, effects, engineErrors: engineErrors.slice() };
  } catch (error) {
    return { id: job.id, ok: false, error: firstLine(error.message || error), effects: [], engineErrors: engineErrors.slice() };
  } finally {
    fixToday(null);
  }
}

function versions() {
  const fs = require('fs');
  const path = require('path');
  const read = (name) => {
    try {
      let dir = path.dirname(require.resolve(name));
      return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    } catch (error) {
      return null;
    }
  };
  return { '@dhis2/rule-engine': read('@dhis2/rule-engine'), '@dhis2/expression-parser': read('@dhis2/expression-parser') };
}

// --- program indicator rows ---------------------------------------------------------------

// One program indicator expression or filter evaluated on many analytics rows: each row gives
// the program variables (V{...}) and the data items (#{stage.element}, A{attribute}) by key
// `TYPE:uid0[.uid1]`. Functions the parser leaves to DHIS2's SQL are reported, not guessed.
function itemKey(item) {
  const rest = item.uid1.map((id) => id.value);
  return item.type.name + ':' + [item.uid0.value, ...rest].join('.');
}

function evaluateIndicator(job) {
  const result = { id: job.id, ok: true, error: null, values: [] };
  let expression;
  try {
    expression = new PI_EXPR.js.ExpressionJs(job.expression, PI_EXPR.ExpressionMode.valueOf('PROGRAM_INDICATOR_EXPRESSION'));
  } catch (error) {
    return { ...result, ok: false, error: firstLine(String(error.message || error)) };
  }
  const items = expression.collectDataItems();
  let unsupported = null;
  for (const row of job.rows || []) {
    const values = new Map();
    for (const item of items) {
      const value = (row.items || {})[itemKey(item)];
      values.set(item, value === undefined ? null : value);
    }
    const variables = new Map(Object.entries(row.variables || {}));
    const data = new PI_EXPR.js.ExpressionDataJs(new Map(), variables, new Map(), values, new Map());
    try {
      const value = expression.evaluate((name) => { unsupported = name; return null; }, data);
      if (unsupported !== null) {
        return { ...result, ok: false, error: 'not evaluable by the expression parser: ' + unsupported };
      }
      result.values.push(value === undefined || (typeof value === 'number' && Number.isNaN(value)) ? null : value);
    } catch (error) {
      return { ...result, ok: false, error: firstLine(String(error.message || error)) };
    }
  }
  return result;
}

// `--lines`: one evaluation job a line on stdin, its answer a line on stdout, as each arrives.
// The roster validator sends jobs while it still reads and plans, so the engine (whose first
// thousand evaluations run slowly, before V8 has compiled it) works alongside it.
function streamEvaluations() {
  const lines = require('readline').createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let job;
    try {
      job = JSON.parse(line);
    } catch (error) {
      job = null;
      process.stdout.write(JSON.stringify({ id: null, ok: false, error: 'unreadable job: ' + firstLine(error.message), effects: [] }) + '\n');
    }
    if (job !== null) process.stdout.write(JSON.stringify(evaluate(job)) + '\n');
  });
}

function main() {
  if (process.argv.includes('--lines')) {
    streamEvaluations();
    return;
  }
  const chunks = [];
  process.stdin.on('data', (chunk) => chunks.push(chunk));
  process.stdin.on('end', () => {
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    const answer = {
      expressions: (request.expressions || []).map(parseExpression),
      evaluations: (request.evaluations || []).map(evaluate),
      indicators: (request.indicators || []).map(evaluateIndicator),
      versions: versions(),
    };
    process.stdout.write(JSON.stringify(answer));
  });
}

main();
