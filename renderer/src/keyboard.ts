/**
 * Global keyboard shortcuts: space pauses (the view of a live run, or a replay),
 * left/right step one event in replay, "/" focuses the current view's filter, Esc
 * closes the inspector, 1-9 switch views, ? shows the help. Keys typed into a field
 * are left alone.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import { useEventsStore } from './stores/events';
import { useTasksStore } from './stores/tasks';
import { useUiStore, VIEWS } from './stores/ui';

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || target.isContentEditable) return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return type !== 'range' && type !== 'checkbox' && type !== 'radio' && type !== 'button';
  }
  return tag === 'SELECT';
}

export function useShortcuts(): void {
  const events = useEventsStore();
  const tasks = useTasksStore();
  const ui = useUiStore();

  function onKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Escape') {
      if (typing(e.target)) (e.target as HTMLElement).blur();
      else if (ui.help || ui.seedDialog) ui.help = ui.seedDialog = false;
      else tasks.select(null);
      return;
    }
    if (typing(e.target)) return;
    switch (e.key) {
      case ' ':
        e.preventDefault();
        events.togglePause();
        break;
      case 'ArrowLeft':
        e.preventDefault();
        events.step(e.shiftKey ? -100 : -1);
        break;
      case 'ArrowRight':
        e.preventDefault();
        events.step(e.shiftKey ? 100 : 1);
        break;
      case 'Home':
        e.preventDefault();
        events.seek(0);
        break;
      case 'End':
        e.preventDefault();
        events.setFollow(true);
        break;
      case '?':
        ui.help = !ui.help;
        break;
      case '/':
        e.preventDefault();
        if (ui.view !== 'tasks' && ui.view !== 'log' && ui.view !== 'timeline') ui.show('tasks');
        ui.requestFilterFocus();
        break;
      default: {
        const v = VIEWS.find((x) => x.key === e.key);
        if (v) ui.show(v.name);
      }
    }
  }

  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
