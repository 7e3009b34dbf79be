/**
 * Prints what the inputs of docs/behaviour.md "Limits" cost, so the bounds can be checked by hand:
 * `npx tsx scripts/measure-expression-costs.ts` (add `--raw` for step 1, which takes tens of seconds).
 * Timings are printed, never asserted (the tests assert counts); nothing here touches Temporal.
 *
 * 1. the poison regex of the limits section, run raw by re2js against a 255 KB subject;
 * 2. a `when` that takes that pattern from data (`regex(execution.input.text, execution.input.pattern)`);
 * 3. validation of a 990 KB definition with 47 poison regexes on 215 edges (refused);
 * 4. validation of the costliest definition the limits accept (see test/unit/when/bounds.test.ts);
 * 5. one happening's whole work budget spent on a regex that defeats RE2's DFA (the slowest path).
 */
import { RE2JS } from 're2js';
import { validateDefinition } from '../src/core/definition';
import { compileWhen, evaluateWhenWithin, happeningBudget, WHEN_LIMITS, WORK_COSTS } from '../src/core/when';
import { costliestAllowedDefinition, POISON_PATTERN, poisonDefinition, poisonSubject } from '../test/fixtures/costly-expressions';

const time = <T>(label: string, run: () => T): T => {
  const started = performance.now();
  const result = run();
  console.log(`${label}: ${(performance.now() - started).toFixed(1)} ms`);
  return result;
};

const subject = poisonSubject(255_000);

const raw = RE2JS.compile(POISON_PATTERN);
if (process.argv.includes('--raw'))
  time(`1. re2js ${JSON.stringify(POISON_PATTERN)} (program size ${raw.programSize()}) on ${subject.length} characters`, () =>
    raw.test(subject),
  );

const when = compileWhen(JSON.stringify({ op: 'regex', args: [{ var: 'execution.input.text' }, { var: 'execution.input.pattern' }] }));
if (!when.ok) throw new Error(when.message);
const scope = { output: {}, step: {}, execution: { input: { text: subject, pattern: POISON_PATTERN } } };
const outcome = time('2. evaluateWhenWithin with the pattern taken from data', () => evaluateWhenWithin(when.ast, scope));
console.log(`   -> ${JSON.stringify(outcome)}`);

const poison = poisonDefinition();
const poisonResult = time(`3. validateDefinition, ${JSON.stringify(poison).length} characters, 47 poison regexes on 215 edges`, () =>
  validateDefinition(poison),
);
console.log(`   -> ${poisonResult.ok ? 'accepted' : `refused: ${poisonResult.error.message.slice(0, 160)}`}`);

const worst = costliestAllowedDefinition((pattern) => RE2JS.compile(pattern).programSize());
const worstResult = time(`4. validateDefinition, the costliest allowed definition (${JSON.stringify(worst).length} characters)`, () =>
  validateDefinition(worst),
);
console.log(`   -> ${worstResult.ok ? 'accepted' : `refused: ${worstResult.error.message.slice(0, 160)}`}`);

// (?:[ab]{0,499}a)[ab]{499}y is the poison shape under the 2,000-instruction cap (1,501 instructions).
const nfaPattern = '(?:[ab]{0,499}a)[ab]{499}y';
const size = RE2JS.compile(nfaPattern).programSize();
const longest = Math.floor((WHEN_LIMITS.workPerEvaluation - size * WORK_COSTS.regexCompilePerInstruction) / size) - 1;
const happening = happeningBudget();
const nfaScope = { output: {}, step: {}, execution: { input: { text: poisonSubject(longest), pattern: nfaPattern } } };
const evaluations = Math.floor(WHEN_LIMITS.workPerHappening / WHEN_LIMITS.workPerEvaluation);
const results = time(
  `5. ${evaluations} evaluations of ${JSON.stringify(nfaPattern)} (${size} instructions) over ${longest} characters in one happening`,
  () => Array.from({ length: evaluations + 1 }, () => evaluateWhenWithin(when.ast, nfaScope, happening)),
);
console.log(`   -> ${results.map((r) => (r.ok ? 'ok' : 'over the limit')).join(', ')}`);
