import base from '../jest.config.base.js';

export default { ...base, displayName: 'tests', testTimeout: 30_000 };
