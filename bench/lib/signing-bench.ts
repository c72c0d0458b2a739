/** What the signing middleware benchmark's server and its load share. */
export const BENCH_SECRET = 'bench-secret-0123456789abcdef0123456789';
export const BENCH_CUSTOMER = {
  email: 'customer@example.com',
  name: 'Bench Customer',
  value: 1200,
};
