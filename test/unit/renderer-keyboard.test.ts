// @vitest-environment happy-dom
/**
 * The keyboard map (renderer/src/keyboard.ts): 1-9 switch views in the order of the
 * nav bar, ? toggles the help, Esc closes the help and then the inspector, / focuses
 * the filter (showing Tasks from a view without one); keys typed into a field, and
 * keys with Ctrl, Cmd or Alt, are left alone.
 */
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { useShortcuts } from '../../renderer/src/keyboard';
import { useTasksStore } from '../../renderer/src/stores/tasks';
import { useUiStore, VIEWS } from '../../renderer/src/stores/ui';

let unmount = () => {};

beforeEach(() => {
  const pinia = createPinia();
  setActivePinia(pinia);
  const Host = defineComponent({
    setup() {
      useShortcuts();
      return () => h('div', [h('input', { id: 'field', type: 'text' }), h('input', { id: 'slider', type: 'range' })]);
    },
  });
  const wrapper = mount(Host, { global: { plugins: [pinia] }, attachTo: document.body });
  unmount = () => wrapper.unmount();
});
afterEach(() => unmount());

function press(key: string, init: KeyboardEventInit = {}, target: EventTarget = window): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(e);
  return e;
}

describe('keyboard map', () => {
  it('switches views with 1-9, in the nav bar order', () => {
    const ui = useUiStore();
    for (const v of VIEWS) {
      press(v.key);
      expect(ui.view).toBe(v.name);
    }
    expect(VIEWS.map((v) => v.key)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('toggles the help with ?, and Esc closes the help before the inspector', () => {
    const ui = useUiStore();
    const tasks = useTasksStore();
    tasks.select('gc t1');
    press('?');
    expect(ui.help).toBe(true);
    press('Escape');
    expect(ui.help).toBe(false);
    expect(tasks.selected).toBe('gc t1');
    press('Escape');
    expect(tasks.selected).toBeNull();
  });

  it('focuses the filter with /, showing Tasks from a view without a filter', () => {
    const ui = useUiStore();
    ui.show('pools');
    const e = press('/');
    expect(e.defaultPrevented).toBe(true);
    expect(ui.view).toBe('tasks');
    expect(ui.focusFilter).toBe(1);
    ui.show('log');
    press('/');
    expect(ui.view).toBe('log');
    expect(ui.focusFilter).toBe(2);
  });

  it('leaves keys typed into a text field alone, but not those on a slider', () => {
    const ui = useUiStore();
    ui.show('tasks');
    press('3', {}, document.getElementById('field')!);
    press('?', {}, document.getElementById('field')!);
    expect([ui.view, ui.help]).toEqual(['tasks', false]);
    press('3', {}, document.getElementById('slider')!);
    expect(ui.view).toBe('pools');
  });

  it('ignores keys with Ctrl, Cmd or Alt (the menus and the browser own them)', () => {
    const ui = useUiStore();
    ui.show('tasks');
    for (const mod of [{ ctrlKey: true }, { metaKey: true }, { altKey: true }]) press('2', mod);
    expect(ui.view).toBe('tasks');
  });
});
