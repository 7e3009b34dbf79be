'use strict';
/*
 * Stands in for re2js in the workflow bundle (docs/bench.md, "Worker memory"). Every workflow the
 * worker creates or replays evaluates the bundle's modules again in its own scope, and re2js was
 * about a fifth of that work (1.3 of 6 ms), though only `when`
 * expressions with regular expressions use it. Through this module a workflow evaluates re2js the
 * first time it reads RE2JS, so workflows that never match a regex never load it.
 */
let loaded;
Object.defineProperty(exports, '__esModule', { value: true });
Object.defineProperty(exports, 'RE2JS', {
  enumerable: true,
  get() {
    // 're2js-eager' is re2js itself, under another name so that this alias does not catch it.
    loaded ??= require('re2js-eager');
    return loaded.RE2JS;
  },
});
