// Stands in for `pnpm demo` until apps/demo lands (issue: demo app).
console.log('The helperkit demo is not built yet: apps/demo arrives with the demo issue.');
console.log('Meanwhile: `pnpm test` runs every test, `pnpm bench` the benchmarks.');
