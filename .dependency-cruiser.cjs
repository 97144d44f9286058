// @ts-check
// The API's module graph (npm run lint): one direction of dependency.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Modules of the API import each other in one direction: writers publish shop events; grading and the ' +
        'public read model read other modules through their *.facts.ts (which import only models).',
      from: { path: '^cloud-api/src' },
      to: { circular: true },
    },
    {
      name: 'facts-import-only-models',
      severity: 'error',
      comment: "A module's facts (read-only answers about a shop for other modules) import only models and shared.",
      from: { path: '^cloud-api/src/modules/[^/]+/[^/]+[.]facts[.]ts$' },
      to: { path: '^cloud-api/src/modules/[^/]+/[^/]+[.](service|routes)[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
  },
};
