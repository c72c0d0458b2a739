import { mount } from '@vue/test-utils';
import { createApp, defineComponent, h } from 'vue';
import { describe, expect, it } from 'vitest';
import { createHelper, useHelper } from '../src/index.js';
import { API, fakeServer } from './harness.js';

const Probe = defineComponent({
  setup() {
    const { title } = useHelper();
    return () => h('p', title.value);
  },
});

describe('useHelper()', () => {
  it('outside setup() throws an Error that says where to call it', () => {
    expect(() => useHelper()).toThrow(
      /must be called inside setup\(\) of a component .*app\.use\(createHelper\(/,
    );
  });

  it('in an app without the plugin throws an Error that says to install it', () => {
    const app = createApp(Probe);
    let thrown: unknown;
    app.config.errorHandler = (error) => (thrown = error);
    app.config.warnHandler = () => undefined; // Vue also warns about the failed setup()
    app.mount(document.createElement('div'));

    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(
      /found no helperkit plugin: call app\.use\(createHelper\(\{ apiBase: "\/helper" \}\)\)/,
    );
    app.unmount();
  });

  it('works in a component, and in app.runWithContext()', () => {
    fakeServer();
    const wrapper = mount(Probe, {
      global: { plugins: [createHelper({ apiBase: API, title: 'Acme help' })] },
    });
    expect(wrapper.text()).toBe('Acme help');

    const app = createApp(Probe).use(createHelper({ apiBase: API, title: 'In context' }));
    expect(app.runWithContext(() => useHelper().title.value)).toBe('In context');
  });

  it('createHelper() without apiBase fails at start-up with what to fix', () => {
    // @ts-expect-error: a plain JavaScript caller can forget it
    expect(() => createHelper({})).toThrow(/needs apiBase/);
  });
});
