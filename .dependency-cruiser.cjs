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
    {
      name: 'model-owner',
      severity: 'error',
      comment:
        'One owner per model: only the module that defines a model imports it. Others call its service or ' +
        'read its *.facts.ts (read-only answers about a shop or user).',
      from: { path: '^cloud-api/src/modules/([^/]+)/' },
      to: { path: '^cloud-api/src/modules/[^/]+/[^/]*[.]models?[.]ts$', pathNot: '^cloud-api/src/modules/$1/' },
    },
    {
      name: 'model-owner-outside-modules',
      severity: 'error',
      comment: 'Seeds, jobs, events and the command line reach the data through the modules, never their models.',
      from: { path: '^cloud-api/src/(?!modules/)' },
      to: { path: '^cloud-api/src/modules/[^/]+/[^/]*[.]models?[.]ts$' },
    },
    {
      name: 'store-imports-only-models',
      severity: 'error',
      comment: "A module's store (a narrow write port for one other module) imports only its models and shared.",
      from: { path: '^cloud-api/src/modules/[^/]+/[^/]+[.]store[.]ts$' },
      to: { path: '^cloud-api/src/modules/[^/]+/[^/]+[.](service|routes|facts)[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
  },
};
